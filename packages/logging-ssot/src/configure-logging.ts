import { isLogDestination, supportsColor, type LogDestination } from './log-destination';
import { isLogFormat, type LogFormat } from './log-format';
import { isLogLevel, type LogLevel } from './log-level';
import { LoggingConfigError } from './logging-config-error';
import { getLoggingState, refreshThresholds } from './logging-state';

/** Options of {@link configureLogging}; each one left out keeps its current value. */
export interface LoggingOptions {
  /** Least severe level written. Initial value: `LOG_LEVEL`, else `info`. */
  level?: LogLevel;
  /**
   * `json` (one JSON object per line) or `pretty` (one readable line). Initial value:
   * `LOG_FORMAT`, else `json` when `NODE_ENV=production`, else `pretty`.
   */
  format?: LogFormat;
  /** Where lines are written: a stream or any `{ write(line) }`. Initial value: stdout. */
  destination?: LogDestination;
  /** Written as `service` on every line. Initial value: `SERVICE_NAME`, else `app`. */
  service?: string;
  /**
   * Colour in `pretty` lines. Initial value `'auto'`: only when the destination is a TTY and
   * `NO_COLOR` is unset or empty.
   */
  color?: boolean | 'auto';
}

/** The complete configuration, as returned by {@link configureLogging}. */
export interface LoggingConfig {
  level: LogLevel;
  format: LogFormat;
  destination: LogDestination;
  service: string;
  color: boolean | 'auto';
}

function validate(options: LoggingOptions): void {
  const { level, format, destination, service, color } = options;
  if (level !== undefined && !isLogLevel(level)) {
    throw new LoggingConfigError('level', `Unknown log level "${String(level)}"`);
  }
  if (format !== undefined && !isLogFormat(format)) {
    throw new LoggingConfigError('format', `Unknown log format "${String(format)}"`);
  }
  if (destination !== undefined && !isLogDestination(destination)) {
    throw new LoggingConfigError('destination', 'A log destination needs a write(line) method');
  }
  if (service !== undefined && typeof service !== 'string') {
    throw new LoggingConfigError('service', 'The service name must be a string');
  }
  if (color !== undefined && typeof color !== 'boolean' && color !== 'auto') {
    throw new LoggingConfigError('color', 'color must be true, false or "auto"');
  }
}

/**
 * The one configuration point. Applies at once to every logger, including those created
 * before the call. Options left out keep their current value; the previous configuration is
 * returned so a test can restore it with `configureLogging(previous)`.
 * @param options - see {@link LoggingOptions}.
 * @throws LoggingConfigError (`LOG_INVALID_CONFIG`) for an unknown level or format, a
 *   destination without `write`, a non-string service or an invalid `color`; nothing changes.
 */
export function configureLogging(options: LoggingOptions = {}): LoggingConfig {
  validate(options);
  const state = getLoggingState();
  const { settings, output } = state;
  const previous: LoggingConfig = { ...settings };
  if (options.level !== undefined) settings.level = options.level;
  if (options.format !== undefined) settings.format = options.format;
  if (options.destination !== undefined) settings.destination = options.destination;
  if (options.service !== undefined) settings.service = options.service;
  if (options.color !== undefined) settings.color = options.color;
  output.format = settings.format;
  output.destination = settings.destination;
  output.colored =
    settings.color === 'auto' ? supportsColor(settings.destination, process.env) : settings.color;
  refreshThresholds(state);
  return previous;
}
