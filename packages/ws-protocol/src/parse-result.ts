import type { ClientMessage, MessageId } from './client-messages.js';

/** The error codes a frame can earn before it reaches any handler. */
export type ParseErrorCode = 'invalid_json' | 'invalid_message' | 'unknown_type';

/** Why a frame was refused, ready to become an `error` frame (`{type: 'error', ...error}`). */
export interface ParseError {
  code: ParseErrorCode;
  /** One readable sentence naming what is wrong. */
  message: string;
  /** The frame's `id` exactly as given, whenever that id itself is valid. */
  ref?: MessageId;
}

/** The outcome of parsing one inbound frame. */
export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: ParseError };

/** A refusal, with `ref` only when there is one (so the error frame carries no `ref: undefined`). */
export function parseFailure(
  code: ParseErrorCode,
  message: string,
  ref: MessageId | undefined,
): ParseResult {
  return { ok: false, error: ref === undefined ? { code, message } : { code, message, ref } };
}
