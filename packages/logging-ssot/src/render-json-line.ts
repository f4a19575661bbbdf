import type { LogEntry } from './log-entry';

/**
 * Renders an entry as one JSON line. Entries are already sanitized (no cycles, no BigInt), so
 * plain `JSON.stringify` is safe and faster than a cycle-tolerant serializer.
 * @param entry - a sanitized entry.
 */
export function renderJsonLine(entry: LogEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
