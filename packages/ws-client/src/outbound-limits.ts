import type { ChatMessage } from '@app/ws-protocol';
import { ChatClientError } from './errors.js';
import { LIMITS } from '@app/ws-protocol/constants';

/**
 * Refuses a `chat` message the server would refuse, before it is sent: `text` of 1 to 16,384
 * characters (code points), and a frame no larger than the server's default inbound maximum
 * (64 KiB). The size check matters most: an oversized frame does not get an `error` but closes the
 * connection with 1009, after which the client stays closed. Returns the error (wire code
 * `invalid_message`) or `undefined`.
 */
export function checkChatMessage(message: ChatMessage): ChatClientError | undefined {
  const ref = message.id === undefined ? {} : { ref: message.id };
  const length = codePointLength(message.text, LIMITS.maxTextLength + 1);
  if (length === 0 || length > LIMITS.maxTextLength) {
    return new ChatClientError(
      'invalid_message',
      `chat text must be 1 to ${LIMITS.maxTextLength} characters`,
      ref,
    );
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: only long texts need the exact count.
  const json = JSON.stringify(message);
  if (
    json.length * 3 > LIMITS.maxInboundBytes &&
    new TextEncoder().encode(json).length > LIMITS.maxInboundBytes
  ) {
    return new ChatClientError(
      'invalid_message',
      `chat frame exceeds ${LIMITS.maxInboundBytes} bytes`,
      ref,
    );
  }
  return undefined;
}

/** Code points in `text`, counting no further than `limit`. */
function codePointLength(text: string, limit: number): number {
  let count = 0;
  for (const _ of text) if (++count >= limit) break;
  return count;
}
