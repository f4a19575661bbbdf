/**
 * The configuration read from the environment is invalid. `message` is the one line printed on
 * stderr before the process exits with code 1, e.g.
 * `Invalid configuration: WS_HEARTBEAT_MS must be a positive integer (got "abc")`.
 */
export class ConfigError extends Error {
  /** Stable code, so callers can recognise the error without `instanceof`. */
  readonly code = 'CONFIG_INVALID';
  /** The environment variable at fault. */
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** True for a {@link ConfigError}, also across module copies (recognised by its `code`). */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    error instanceof ConfigError ||
    (error instanceof Error && 'code' in error && error.code === 'CONFIG_INVALID')
  );
}
