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
