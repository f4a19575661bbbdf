import { configureLogging, type LoggingOptions } from '../src/index';

/** Lines written while a test runs, and the configuration to restore afterwards. */
export interface CollectedLines {
  readonly lines: string[];
  /** Every line parsed as JSON (only meaningful with `format: 'json'`). */
  parsed(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Points the process-wide logging at an in-memory destination (JSON, debug level unless
 * overridden) and returns what it receives.
 */
export function collectLines(options: LoggingOptions = {}): CollectedLines {
  const lines: string[] = [];
  const previous = configureLogging({
    level: 'debug',
    format: 'json',
    service: 'test-service',
    color: false,
    ...options,
    destination: {
      write(line: string) {
        lines.push(line);
      },
    },
  });
  return {
    lines,
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      configureLogging(previous);
    },
  };
}
