import type { LogEntry } from './log-entry';
import { LEVEL_VALUES, isLogLevel, type LogLevel } from './log-level';
import { LoggingConfigError } from './logging-config-error';
import { getLoggingState, refreshThresholds } from './logging-state';
import type { CaptureSink } from './logging-state-shape';

/** Options of {@link captureLogs}. */
export interface CaptureOptions {
  /**
   * Capture down to this level even if the configured level is less verbose; while the
   * capture is active, loggers report that level as enabled. Entries below the configured
   * level are captured only, never written. Default: follow the configured level.
   */
  level?: LogLevel;
  /** Keep lines from the destination while the capture is active. Default `false`. */
  silent?: boolean;
}

/** An active capture. */
export interface LogCapture {
  /**
   * The entries logged since the capture started, in order: the same sanitized objects a
   * `json` line is made of (redacted, truncated, errors serialized).
   */
  readonly entries: LogEntry[];
  /** Ends the capture (idempotent); `entries` stays readable. */
  stop(): void;
}

/**
 * Test helper: records every entry logged while active, by any logger in the process, so
 * tests can assert on log lines (and on the absence of credentials in them). Several captures
 * may be active at once; each sees every entry at its level.
 * @param options - see {@link CaptureOptions}.
 * @throws LoggingConfigError (`LOG_INVALID_CONFIG`) for an unknown `level`.
 */
export function captureLogs(options: CaptureOptions = {}): LogCapture {
  const { level, silent = false } = options;
  if (level !== undefined && !isLogLevel(level)) {
    throw new LoggingConfigError('level', `Unknown log level "${String(level)}"`);
  }
  const state = getLoggingState();
  const sink: CaptureSink = {
    entries: [],
    threshold: level === undefined ? undefined : LEVEL_VALUES[level],
    silent,
  };
  state.captures.push(sink);
  refreshThresholds(state);
  return {
    entries: sink.entries,
    stop() {
      const index = state.captures.indexOf(sink);
      if (index === -1) return;
      state.captures.splice(index, 1);
      refreshThresholds(state);
    },
  };
}
