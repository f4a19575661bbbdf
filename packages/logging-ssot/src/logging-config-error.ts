/**
 * The error registry of `@app/logging-ssot` (docs/errors.md#logging-ssot): every code this
 * package throws, one per failure mode. This package sits below every other one and depends on
 * none of them, so its class extends `Error` rather than `@app/ws-protocol`'s `AppError`; it has
 * the same shape (`name`, `code`).
 */
export const codes = Object.freeze({
  /** `configureLogging` was given an unknown level or format, or a destination without `write`. */
  LOG_INVALID_CONFIG: 'LOG_INVALID_CONFIG',
} as const);

/**
 * Thrown by `configureLogging` for an invalid option. Log calls never throw; configuration is
 * an explicit call at startup, where failing fast is the useful behaviour.
 */
export class LoggingConfigError extends Error {
  /** Always `LOG_INVALID_CONFIG`. */
  readonly code = codes.LOG_INVALID_CONFIG;
  /** The option that was rejected (`level`, `format`, `destination`, `service` or `color`). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.name = 'LoggingConfigError';
    this.option = option;
  }
}
