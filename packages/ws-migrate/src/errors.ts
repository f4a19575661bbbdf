/**
 * Every error `@app/ws-migrate` raises carries a stable `code` from {@link ERROR_CODES}; codes are
 * never reused for another meaning.
 */
export const ERROR_CODES = {
  /** The command line could not be understood (unknown command or flag, bad value). */
  USAGE: 'WSMIGRATE_USAGE',
  /** The directory to scan or fix does not exist or is not a directory. */
  DIRECTORY_NOT_FOUND: 'WSMIGRATE_DIRECTORY_NOT_FOUND',
  /** A source file has syntax errors; `fix` leaves it untouched. */
  PARSE_ERROR: 'WSMIGRATE_PARSE_ERROR',
} as const;

/** One of the {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Base class of every error this package raises. */
export abstract class WsMigrateError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: ErrorCode;
}

/** The command line could not be understood. The CLI exits with status 2. */
export class UsageError extends WsMigrateError {
  override readonly code = ERROR_CODES.USAGE;
  override readonly name = 'UsageError';
}

/** The directory given to `scan` or `fix` does not exist or is not a directory. */
export class DirectoryNotFoundError extends WsMigrateError {
  override readonly code = ERROR_CODES.DIRECTORY_NOT_FOUND;
  override readonly name = 'DirectoryNotFoundError';

  /** @param directory the path as given by the caller */
  constructor(readonly directory: string) {
    super(`not a directory: ${directory}`);
  }
}

/** A source file could not be parsed; `fix` reports it and leaves the file untouched. */
export class ParseError extends WsMigrateError {
  override readonly code = ERROR_CODES.PARSE_ERROR;
  override readonly name = 'ParseError';

  /**
   * @param path file path, relative to the scanned directory, with forward slashes
   * @param line 1-based line of the first syntax error
   * @param reason the parser's message
   */
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${path}:${line}: parse error ${reason}`);
  }
}
