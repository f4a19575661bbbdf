/**
 * A one-line reason for logs and readiness, even for errors without a message (Node's
 * `AggregateError` of a refused connection has none, its inner errors do).
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error) {
    if (error.message) return error.message;
    return (error as NodeJS.ErrnoException).code ?? error.name;
  }
  return String(error);
}

/**
 * Whether the database answered `error` with an SQLSTATE (a statement it refused: bad data, a
 * constraint, a deadlock), as opposed to not answering at all (refused or broken connection,
 * timeout). Both backends report through `pg`, whose server errors carry `code` and `severity`.
 */
export function isDatabaseRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}
