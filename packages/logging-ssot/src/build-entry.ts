import { entryTimestamp } from './entry-timestamp';
import { RESERVED_ENTRY_KEYS, type LogEntry, type LogFields } from './log-entry';
import type { LogSeverity } from './log-level';
import { redactString } from './redact-string';
import {
  MAX_OBJECT_KEYS,
  isError,
  readField,
  sanitizeField,
  sanitizeValue,
  serializeError,
  setField,
} from './sanitize-value';

type MutableFields = Record<string, unknown>;

/**
 * Copies caller-supplied fields into `target`, sanitized: reserved names become
 * `field.<name>`, an `Error` under `err` moves to `error` (unless `error` is also given), an
 * `Error` given instead of a fields object becomes `error`, and any other non-object becomes
 * `value`. Never throws.
 * @param fields - whatever the caller passed.
 * @param target - the entry (or context copy) to write into.
 */
function addSanitizedFields(fields: unknown, target: MutableFields): void {
  if (fields === undefined || fields === null) return;
  if (typeof fields !== 'object') {
    target.value = sanitizeValue(fields);
    return;
  }
  if (Array.isArray(fields)) {
    target.value = sanitizeValue(fields);
    return;
  }
  if (isError(fields)) {
    target.error = serializeError(fields);
    return;
  }
  let keys: string[];
  try {
    keys = Object.keys(fields);
  } catch {
    target.fields = '[Unreadable]';
    return;
  }
  const count = Math.min(keys.length, MAX_OBJECT_KEYS);
  for (let index = 0; index < count; index += 1) {
    const key = keys[index] as string;
    const value = readField(fields, key);
    let name = key;
    if (RESERVED_ENTRY_KEYS.has(key)) name = `field.${key}`;
    else if (key === 'err' && isErrorValue(value) && !keys.includes('error')) name = 'error';
    setField(target, name, sanitizeField(key, value));
  }
  if (keys.length > count) target['…'] = `[truncated, ${keys.length} keys]`;
}

function isErrorValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && isError(value);
}

/**
 * Sanitizes fields once, for context and `child` fields that are then copied into many lines.
 * @param fields - whatever the caller passed.
 */
export function sanitizeFields(fields: unknown): LogFields {
  const safe: MutableFields = {};
  addSanitizedFields(fields, safe);
  return safe;
}

function describeMessage(message: unknown): string {
  switch (typeof message) {
    case 'string':
      return redactString(message);
    case 'undefined':
      return '';
    case 'object': {
      if (message === null) return 'null';
      if (isError(message)) {
        const text = readField(message, 'message');
        return redactString(typeof text === 'string' ? text : '');
      }
      return JSON.stringify(sanitizeValue(message)) ?? '';
    }
    default: {
      const safe = sanitizeValue(message);
      return typeof safe === 'string' ? safe : String(safe);
    }
  }
}

/** The parts of one log call that make up its entry. */
export interface EntryParts {
  severity: LogSeverity;
  service: string;
  component: string;
  /** Sanitized context fields, if inside `withLogContext`. */
  context: LogFields | undefined;
  /** Sanitized `child` fields, if any. */
  bound: LogFields | undefined;
  message: unknown;
  fields: unknown;
}

/**
 * Builds the structured entry of one log call. Precedence on equal names: call fields over
 * `child` fields over context fields. An `Error` given as the message supplies the message text
 * and, unless the fields carry one, the `error`.
 * @param parts - the call's parts; context and bound fields must already be sanitized.
 */
export function buildEntry(parts: EntryParts): LogEntry {
  const { message } = parts;
  const entry: MutableFields = {
    timestamp: entryTimestamp(),
    severity: parts.severity,
    message: typeof message === 'string' ? redactString(message) : describeMessage(message),
    service: parts.service,
    component: parts.component,
  };
  if (parts.context !== undefined) Object.assign(entry, parts.context);
  if (parts.bound !== undefined) Object.assign(entry, parts.bound);
  addSanitizedFields(parts.fields, entry);
  if (typeof message === 'object' && message !== null && entry.error === undefined) {
    if (isError(message)) entry.error = serializeError(message);
  }
  return entry as LogEntry;
}
