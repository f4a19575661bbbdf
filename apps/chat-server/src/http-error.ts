/** The `code` of an HTTP API error body, one list for the whole HTTP surface. */
export type HttpErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthorized'
  | 'not_found'
  | 'gone'
  | 'payload_too_large'
  | 'rate_limited'
  | 'too_many_runs'
  | 'unavailable'
  | 'internal';

/** The JSON body of every HTTP API error: `{"error":{"code","message"}}`. */
export interface HttpErrorBody {
  error: { code: HttpErrorCode; message: string };
}

/**
 * A request the HTTP API refuses. Thrown by a handler, turned into `status` and an
 * {@link HttpErrorBody} by the app's error handler.
 */
export class HttpError extends Error {
  readonly status: 400 | 401 | 404 | 410 | 413 | 429 | 500 | 503;
  readonly code: HttpErrorCode;
  /** Set: the response carries `Retry-After` (whole seconds, at least 1). */
  readonly retryAfterMs: number | undefined;

  constructor(
    status: HttpError['status'],
    code: HttpErrorCode,
    message: string,
    retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }

  /** The `Retry-After` header value, when there is one. */
  retryAfterSeconds(): string | undefined {
    return this.retryAfterMs === undefined
      ? undefined
      : String(Math.max(1, Math.ceil(this.retryAfterMs / 1000)));
  }

  /** The response body. */
  toBody(): HttpErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}
