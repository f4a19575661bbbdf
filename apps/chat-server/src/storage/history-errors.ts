import { AppError } from '@app/ws-protocol';
import { codes } from '../error-codes.js';
import { describeError } from './describe-error.js';

/** The codes of the history storage's errors, from the server's {@link codes}. */
type HistoryErrorCode =
  | typeof codes.HISTORY_INVALID_CURSOR
  | typeof codes.HISTORY_DATA_DIR_LOCKED
  | typeof codes.HISTORY_MIGRATION_FAILED;

/** Base class of the storage errors; recognise them with `isAppError(error, codes.X)`. */
class HistoryError extends AppError<HistoryErrorCode> {
  constructor(code: HistoryErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'HistoryError';
  }
}

/** `HISTORY_INVALID_CURSOR`: the HTTP API answers 400. */
export class InvalidCursorError extends HistoryError {
  constructor(message = 'cursor is not a cursor this listing returned') {
    super(codes.HISTORY_INVALID_CURSOR, message);
    this.name = 'InvalidCursorError';
  }
}

/** `HISTORY_DATA_DIR_LOCKED`: another process uses the embedded database in `DATA_DIR`. */
export class DataDirLockedError extends HistoryError {
  constructor(dataDir: string, pid: number) {
    super(
      codes.HISTORY_DATA_DIR_LOCKED,
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
      codes.HISTORY_MIGRATION_FAILED,
      where.migration === undefined
        ? `The history database could not be migrated${at}: ${reason}`
        : `Migration ${where.migration} failed${at}: ${reason}`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}
