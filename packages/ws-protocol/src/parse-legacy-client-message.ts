import { messageRef } from './message-ref.js';
import { validateClientMessage } from './parse-client-message.js';
import { parseFailure, type ParseResult } from './parse-result.js';
import { readJsonObject } from './read-json-object.js';
import { unknownTypeMessage } from './unknown-type-message.js';

/** The message types a legacy-mode client may send. */
export const LEGACY_CLIENT_MESSAGE_TYPES = ['user_message', 'start_agent', 'chat', 'ping'] as const;

/**
 * Parses one inbound frame of the legacy wire mode (docs/protocol.md#legacy-client-messages) into a v1 message:
 * `{type: 'user_message' | 'start_agent' | 'chat', content | message, thread_id | threadId?,
 * agent | agent_name?, id?}` becomes a `ChatMessage` (`content` wins over `message`), and
 * `{type: 'ping', id?}` a `PingMessage`. `null` counts as absent for these optional fields, as
 * old clients sent it. Validation and refusals are those of {@link parseClientMessage}; any other
 * type is `unknown_type`.
 */
export function parseLegacyClientMessage(data: string): ParseResult {
  const frame = readJsonObject(data);
  if (frame === undefined) {
    return parseFailure('invalid_json', 'frame must be a JSON object', undefined);
  }
  const id = frame.id ?? undefined;
  switch (frame.type) {
    case 'ping':
      return validateClientMessage({ type: 'ping', id });
    case 'user_message':
    case 'start_agent':
    case 'chat':
      return validateClientMessage({
        type: 'chat',
        id,
        text: frame.content ?? frame.message,
        threadId: frame.thread_id ?? frame.threadId ?? undefined,
        agent: frame.agent ?? frame.agent_name ?? undefined,
      });
    default: {
      const ref = messageRef(id);
      return typeof frame.type === 'string'
        ? parseFailure(
            'unknown_type',
            unknownTypeMessage(frame.type, LEGACY_CLIENT_MESSAGE_TYPES),
            ref,
          )
        : parseFailure(
            'invalid_message',
            `type must be one of ${LEGACY_CLIENT_MESSAGE_TYPES.join(', ')}`,
            ref,
          );
    }
  }
}
