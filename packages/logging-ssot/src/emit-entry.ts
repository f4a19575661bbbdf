import type { LogEntry } from './log-entry';
import type { LogLevel } from './log-level';
import type { LoggingState } from './logging-state-shape';

/**
 * Hands a built entry to the active captures that want its level, then (when the configured
 * level allows and no silent capture is active) to the winston pipeline.
 * @param state - the process-wide logging state.
 * @param level - the call's level.
 * @param value - its numeric value (`LEVEL_VALUES[level]`).
 * @param entry - the sanitized entry.
 */
export function emitEntry(
  state: LoggingState,
  level: LogLevel,
  value: number,
  entry: LogEntry,
): void {
  const { captures } = state;
  if (captures.length !== 0) {
    for (const capture of captures) {
      if (value <= (capture.threshold ?? state.configThreshold)) capture.entries.push(entry);
    }
  }
  if (value <= state.configThreshold && !state.silenced) state.pipeline.write(level, entry);
}
