import type { LogSeverity } from './log-level';

/** Structured fields attached to a line: any keys, any values (they are sanitized on output). */
export type LogFields = Readonly<Record<string, unknown>>;

/** How an `Error` appears in an entry (under `error`, or wherever it was in the fields). */
export interface SerializedError {
  name: string;
  /** Redacted and truncated like any string. */
  message: string;
  /** The error's `code` when it is a string or a number. */
  code?: string | number;
  stack?: string;
  /** The sanitized `cause`: another `SerializedError` when the cause is an `Error`. */
  cause?: unknown;
}

/**
 * One structured log entry: exactly the object written as a `json` line and the object a
 * capture records. Context fields, `child` fields and call fields sit at the top level beside
 * the fixed keys; a field named like a fixed key is kept as `field.<name>` so it can never
 * overwrite them. Every value is already redacted and truncated.
 */
export interface LogEntry {
  /** ISO 8601, UTC, millisecond precision. */
  readonly timestamp: string;
  readonly severity: LogSeverity;
  readonly message: string;
  readonly service: string;
  readonly component: string;
  /** A `SerializedError` when an `Error` was given as `error`/`err` (or as the message). */
  readonly error?: unknown;
  readonly [field: string]: unknown;
}

/**
 * Keys the logger owns; fields with these names are renamed `field.<name>`. `__proto__` is
 * listed so that no field name can reach an entry's prototype.
 */
export const RESERVED_ENTRY_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'timestamp',
  'severity',
  'message',
  'service',
  'component',
]);
