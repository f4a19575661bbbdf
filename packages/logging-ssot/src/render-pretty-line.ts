import type { LogEntry, LogFields } from './log-entry';
import type { LogSeverity } from './log-level';

const RESET = '\u001b[0m';
const DIM = '\u001b[2m';
const CYAN = '\u001b[36m';
const SEVERITY_COLORS: Readonly<Record<LogSeverity, string>> = {
  DEBUG: '\u001b[90m',
  INFO: '\u001b[32m',
  WARNING: '\u001b[33m',
  ERROR: '\u001b[31m',
};

/** Keys shown in the line's head rather than as `key=value` pairs. */
const HEAD_KEYS = new Set(['timestamp', 'severity', 'message', 'service', 'component']);

/** Values that read unambiguously without quotes. */
const BARE_VALUE = /^[\w.:/@+-]+$/;

/** Line breaks would split one entry over several lines (and let input forge entries). */
const LINE_BREAK = /\r\n|\r|\n/g;

function renderValue(value: unknown): string {
  if (typeof value === 'string') return BARE_VALUE.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? 'undefined';
}

function isSerializedError(value: unknown): value is LogFields & { name: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function renderError(value: unknown): string {
  if (!isSerializedError(value)) return `error=${renderValue(value)}`;
  let text = `error=${JSON.stringify(`${value.name}: ${value.message}`)}`;
  if (value.code !== undefined) text += ` code=${renderValue(value.code)}`;
  if (value.cause !== undefined) text += ` cause=${renderValue(value.cause)}`;
  if (typeof value.stack === 'string') text += ` stack=${JSON.stringify(value.stack)}`;
  return text;
}

/**
 * Renders an entry as one readable line:
 * `07:17:00.123 INFO    [component] message key=value … error="TypeError: boom" stack="…"`.
 * The time is UTC, as in the `json` format; line breaks in the message are escaped.
 * @param entry - a sanitized entry.
 * @param color - whether to add ANSI colours (decided from the destination and `NO_COLOR`).
 */
export function renderPrettyLine(entry: LogEntry, color: boolean): string {
  const time = entry.timestamp.slice(11, 23);
  const severity = entry.severity.padEnd(7);
  const message = entry.message.replace(LINE_BREAK, '\\n');
  const component = entry.component.replace(LINE_BREAK, '\\n');
  let line = color
    ? `${DIM}${time}${RESET} ${SEVERITY_COLORS[entry.severity]}${severity}${RESET} ${CYAN}[${component}]${RESET} ${message}`
    : `${time} ${severity} [${component}] ${message}`;
  let error = '';
  for (const key of Object.keys(entry)) {
    if (HEAD_KEYS.has(key)) continue;
    const value = entry[key];
    if (key === 'error') {
      error = ` ${renderError(value)}`;
      continue;
    }
    const name = BARE_VALUE.test(key) ? key : JSON.stringify(key);
    line += color
      ? ` ${DIM}${name}=${RESET}${renderValue(value)}`
      : ` ${name}=${renderValue(value)}`;
  }
  return `${line}${error}\n`;
}
