import type { ChatEvent } from '@app/ws-protocol';
import type { StreamRecord } from '@app/ws-core';

/** A live event as received on a user's channel. */
export interface ChannelMessage {
  readonly epoch: string;
  readonly record: StreamRecord;
}

/**
 * Decodes `<epoch>|<json>` (what the append script publishes; epochs never contain `|`), or
 * undefined for anything else — a subscriber treats that as a possible gap.
 */
export function decodeChannelMessage(message: string): ChannelMessage | undefined {
  const bar = message.indexOf('|');
  if (bar <= 0) return undefined;
  const json = message.slice(bar + 1);
  let event: unknown;
  try {
    event = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const seq = (event as { seq?: unknown }).seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return undefined;
  return { epoch: message.slice(0, bar), record: { seq, event: event as ChatEvent, json } };
}
