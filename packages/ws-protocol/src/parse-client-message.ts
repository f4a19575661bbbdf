import {
  authMessageSchema,
  cancelMessageSchema,
  chatMessageSchema,
  pingMessageSchema,
  resumeMessageSchema,
} from './client-message-schemas.js';
import { CLIENT_MESSAGE_TYPES } from './client-messages.js';
import { formatIssues } from './format-issues.js';
import { messageRef } from './message-ref.js';
import { parseFailure, type ParseResult } from './parse-result.js';
import { readJsonObject } from './read-json-object.js';
import { unknownTypeMessage } from './unknown-type-message.js';

/**
 * Parses one inbound text frame of protocol v1. It runs for every frame, so it does one
 * `JSON.parse`, a switch on `type` and one schema. Refusals:
 * - `invalid_json`: the text is not JSON, or its value is not a JSON object;
 * - `invalid_message`: `type` is missing or not a string, or a field is wrong;
 * - `unknown_type`: `type` is a string that names no client message.
 *
 * Every refusal carries `ref` = the frame's `id` whenever that id is valid. Unknown fields are
 * ignored and left out of the parsed message.
 *
 * @example
 * const result = parseClientMessage('{"type":"ping","id":7}');
 * if (result.ok) result.message; // { type: 'ping', id: 7 }
 * else send({ type: 'error', ...result.error });
 */
export function parseClientMessage(data: string): ParseResult {
  const frame = readJsonObject(data);
  if (frame === undefined) {
    return parseFailure('invalid_json', 'frame must be a JSON object', undefined);
  }
  return validateClientMessage(frame);
}

/** {@link parseClientMessage} for a frame already parsed into an object. */
export function validateClientMessage(frame: Record<string, unknown>): ParseResult {
  const ref = messageRef(frame.id);
  const type = frame.type;
  if (typeof type !== 'string') {
    return parseFailure(
      'invalid_message',
      `type must be one of ${CLIENT_MESSAGE_TYPES.join(', ')}`,
      ref,
    );
  }
  const result = schemaFor(type)?.safeParse(frame);
  if (result === undefined) {
    return parseFailure('unknown_type', unknownTypeMessage(type, CLIENT_MESSAGE_TYPES), ref);
  }
  if (!result.success) {
    return parseFailure('invalid_message', formatIssues(result.error.issues), ref);
  }
  return { ok: true, message: result.data };
}

function schemaFor(type: string) {
  switch (type) {
    case 'ping':
      return pingMessageSchema;
    case 'chat':
      return chatMessageSchema;
    case 'cancel':
      return cancelMessageSchema;
    case 'resume':
      return resumeMessageSchema;
    case 'auth':
      return authMessageSchema;
    default:
      return undefined;
  }
}
