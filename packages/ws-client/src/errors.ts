import { AppError } from '@app/ws-protocol/constants';
import type { ErrorCode, MessageId } from '@app/ws-protocol';

/**
 * The error registry of `@app/ws-client` (docs/errors.md#ws-client): failures the client
 * detects itself, next to the wire {@link ErrorCode}s that `error` frames carry. Snake case, like
 * the wire codes, since both arrive in the same `code` field:
 *
 * | code | what | how to fix |
 * |---|---|---|
 * | `client_closed` | `close()` was called before the request settled, or the request was made after | create a new client |
 * | `connection_closed` | the server closed with a code after which the client stays closed (1007, 1008, 1009) or closed normally (1000) with requests pending; `closeCode` says which | 1007/1009: fix the client; 1008: stop the abuse |
 * | `request_timeout` | no `ack` or `error` within the request's timeout (it may still have been processed) | retry with the same `id` |
 * | `credentials_unavailable` | `getToken` or `getTicket` threw; the attempt counts as failed and backs off | fix the provider |
 * | `invalid_frame` | the server sent something that is not a v1 frame | fix the server |
 * | `unsupported_protocol` | `welcome.protocol` is not 1; the client stays closed | upgrade the client |
 * | `invalid_options` | `createChatClient` options are unusable (no `WebSocket` class, bad `url`) | fix the options |
 */
export const codes = Object.freeze({
  client_closed: 'client_closed',
  connection_closed: 'connection_closed',
  request_timeout: 'request_timeout',
  credentials_unavailable: 'credentials_unavailable',
  invalid_frame: 'invalid_frame',
  unsupported_protocol: 'unsupported_protocol',
  invalid_options: 'invalid_options',
} as const);

/** One of the client's own {@link codes}. */
export type ClientErrorCode = (typeof codes)[keyof typeof codes];

/** Every code a {@link ChatClientError} can carry: a wire error code or a client one. */
export type ChatClientErrorCode = ErrorCode | ClientErrorCode;

/** Extra facts a {@link ChatClientError} may carry. */
export interface ChatClientErrorDetails {
  /** The `id` of the client message an `error` frame refused. */
  ref?: MessageId;
  /** From an `error` frame (`rate_limited`): when trying again may succeed. */
  retryAfterMs?: number;
  /** For `connection_closed`: the WebSocket close code. */
  closeCode?: number;
  /** The underlying failure (e.g. what `getToken` threw). */
  cause?: unknown;
}

/**
 * The one error class of the client. `code` is a wire error code (from an `error` frame) or one of
 * the client's {@link codes}. Recognise it with `instanceof` or `isAppError(error, code)` from
 * `@app/ws-protocol`.
 */
export class ChatClientError extends AppError<ChatClientErrorCode> {
  /** Spelled out: minified browser bundles rename classes. */
  override readonly name = 'ChatClientError';
  readonly ref: MessageId | undefined;
  readonly retryAfterMs: number | undefined;
  readonly closeCode: number | undefined;

  constructor(code: ChatClientErrorCode, message: string, details: ChatClientErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.ref = details.ref;
    this.retryAfterMs = details.retryAfterMs;
    this.closeCode = details.closeCode;
  }
}
