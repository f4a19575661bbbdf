/** Output format: one JSON object per line, or one human-readable line per entry. */
export type LogFormat = 'json' | 'pretty';

/** Every output format. */
export const LOG_FORMATS: readonly LogFormat[] = Object.freeze(['json', 'pretty']);

/**
 * Whether `value` is one of the output format names (exact, lower case).
 * @param value - anything, e.g. a string read from configuration.
 */
export function isLogFormat(value: unknown): value is LogFormat {
  return value === 'json' || value === 'pretty';
}
