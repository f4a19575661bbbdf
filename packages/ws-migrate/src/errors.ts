/**
 * The error registry of `@app/ws-migrate` (docs/errors.md#ws-migrate): every error it raises
 * carries a stable `code` from here, never reused for another meaning. The package stands alone
 * (it imports no other workspace package), so its base class extends `Error` rather than
 * `@app/ws-protocol`'s `AppError`, with the same `name` and `code`.
 */
export const codes = Object.freeze({
  /** The command line could not be understood (unknown command or flag, bad value). */
  WSMIGRATE_USAGE: 'WSMIGRATE_USAGE',
  /** The directory to scan or fix does not exist or is not a directory. */
  WSMIGRATE_DIRECTORY_NOT_FOUND: 'WSMIGRATE_DIRECTORY_NOT_FOUND',
  /** A source file has syntax errors; `fix` leaves it untouched. */
  WSMIGRATE_PARSE_ERROR: 'WSMIGRATE_PARSE_ERROR',
} as const);

/** One of the {@link codes}. */
export type ErrorCode = (typeof codes)[keyof typeof codes];

/** Base class of every error this package raises. */
export abstract class WsMigrateError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: ErrorCode;
}

/** The command line could not be understood. The CLI exits with status 2. */
export class UsageError extends WsMigrateError {
  override readonly code = codes.WSMIGRATE_USAGE;
  override readonly name = 'UsageError';
}

/** The directory given to `scan` or `fix` does not exist or is not a directory. */
export class DirectoryNotFoundError extends WsMigrateError {
  override readonly code = codes.WSMIGRATE_DIRECTORY_NOT_FOUND;
  override readonly name = 'DirectoryNotFoundError';

  /** @param directory the path as given by the caller */
  constructor(readonly directory: string) {
    super(`not a directory: ${directory}`);
  }
}

/** A source file could not be parsed; `fix` reports it and leaves the file untouched. */
export class ParseError extends WsMigrateError {
  override readonly code = codes.WSMIGRATE_PARSE_ERROR;
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
