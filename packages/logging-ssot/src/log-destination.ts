/**
 * Where rendered lines go: anything with a `write(line)` method, such as `process.stdout`, a
 * file stream or a test double. Each call receives one complete line ending in `\n`. What
 * `write` returns is ignored, and if it throws the error is swallowed.
 */
export interface LogDestination {
  write(line: string): unknown;
}

/** Whether `value` can be used as a {@link LogDestination}. */
export function isLogDestination(value: unknown): value is LogDestination {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { write?: unknown }).write === 'function'
  );
}

/**
 * Whether pretty output to `destination` should be coloured: only for a TTY, and never when
 * `NO_COLOR` is set to a non-empty value (https://no-color.org).
 */
export function supportsColor(destination: LogDestination, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return (destination as { isTTY?: unknown }).isTTY === true;
}
