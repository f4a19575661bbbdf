/** The four levels, most verbose last in {@link LOG_LEVELS} order of severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Google Cloud Logging severity names, as written in the `severity` field of every entry. */
export type LogSeverity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/** Every level, from the most severe to the most verbose. */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze(['error', 'warn', 'info', 'debug']);

/**
 * Numeric verbosity of each level: a call is enabled when its value is at most the threshold of
 * the configured level (`error` 0 … `debug` 3). A plain object keeps the hot-path lookup cheap.
 */
export const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = Object.freeze({
  error: 0,
  warn: 1,
  info: 2,
  debug: 3,
});

/** The severity written for each level. */
export const LEVEL_SEVERITIES: Readonly<Record<LogLevel, LogSeverity>> = Object.freeze({
  error: 'ERROR',
  warn: 'WARNING',
  info: 'INFO',
  debug: 'DEBUG',
});

/**
 * Whether `value` is one of the four level names (exact, lower case).
 * @param value - anything, e.g. a string read from configuration.
 */
export function isLogLevel(value: unknown): value is LogLevel {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error';
}
