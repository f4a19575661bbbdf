import { describeError } from './describe-error.js';

/** The `code` of every error the history storage throws, one list for the module. */
export const HISTORY_ERROR_CODES = Object.freeze({
  /** A paging cursor that this server did not make, or made for another listing. */
  invalidCursor: 'HISTORY_INVALID_CURSOR',
  /** `DATA_DIR` holds an embedded database another live process has open. */
  dataDirLocked: 'HISTORY_DATA_DIR_LOCKED',
  /** A migration failed at start; the server does not start on a half-migrated schema. */
  migrationFailed: 'HISTORY_MIGRATION_FAILED',
} as const);

/** One of {@link HISTORY_ERROR_CODES}. */
export type HistoryErrorCode = (typeof HISTORY_ERROR_CODES)[keyof typeof HISTORY_ERROR_CODES];

/** Base class of the storage errors; recognised by `code` as well as by `instanceof`. */
export class HistoryError extends Error {
  readonly code: HistoryErrorCode;

  constructor(code: HistoryErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HistoryError';
    this.code = code;
  }
}

/** `HISTORY_INVALID_CURSOR`: the HTTP API answers 400. */
export class InvalidCursorError extends HistoryError {
  constructor(message = 'cursor is not a cursor this listing returned') {
    super(HISTORY_ERROR_CODES.invalidCursor, message);
    this.name = 'InvalidCursorError';
  }
}

/** `HISTORY_DATA_DIR_LOCKED`: another process uses the embedded database in `DATA_DIR`. */
export class DataDirLockedError extends HistoryError {
  constructor(dataDir: string, pid: number) {
    super(
      HISTORY_ERROR_CODES.dataDirLocked,
      `DATA_DIR ${dataDir} is in use by process ${pid}: an embedded database can be opened by one process only (stop it, choose another DATA_DIR, or set DATABASE_URL)`,
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * `HISTORY_MIGRATION_FAILED`: names the failing migration (or says the database could not be
 * reached to migrate it) and carries the database's error as `cause`.
 */
export class MigrationError extends HistoryError {
  constructor(cause: unknown, where: { migration?: string; location?: string } = {}) {
    const reason = describeError(cause);
    const at = where.location === undefined ? '' : ` (${where.location})`;
    super(
      HISTORY_ERROR_CODES.migrationFailed,
      where.migration === undefined
        ? `The history database could not be migrated${at}: ${reason}`
        : `Migration ${where.migration} failed${at}: ${reason}`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}

/** Whether `error` is a storage error with `code` (works across module copies). */
export function isHistoryError(error: unknown, code?: HistoryErrorCode): error is HistoryError {
  if (typeof error !== 'object' || error === null) return false;
  const found = (error as { code?: unknown }).code;
  const known = Object.values(HISTORY_ERROR_CODES) as unknown[];
  return code === undefined ? known.includes(found) : found === code;
}
