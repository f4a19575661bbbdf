/** Every error code this package throws, one per failure mode. */
export const LOGGING_ERROR_CODES = Object.freeze({
  /** `configureLogging` was given an unknown level or format, or a destination without `write`. */
  INVALID_CONFIG: 'LOG_INVALID_CONFIG',
} as const);

/**
 * Thrown by `configureLogging` for an invalid option. Log calls never throw; configuration is
 * an explicit call at startup, where failing fast is the useful behaviour.
 */
export class LoggingConfigError extends Error {
  /** Always `LOG_INVALID_CONFIG`. */
  readonly code = LOGGING_ERROR_CODES.INVALID_CONFIG;
  /** The option that was rejected (`level`, `format`, `destination`, `service` or `color`). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.name = 'LoggingConfigError';
    this.option = option;
  }
}
