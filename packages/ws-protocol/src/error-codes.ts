/** The codes an `error` frame can carry (docs/protocol.md#error-codes). */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_message',
  'unknown_type',
  'rate_limited',
  'unknown_agent',
  'too_many_runs',
  'not_found',
  'token_expired',
  'unavailable',
  'internal',
] as const;

/** A wire error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const errorCodeSet: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether `code` is one of the {@link ERROR_CODES}. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && errorCodeSet.has(code);
}
