/**
 * Base class of the errors the `@app/*` packages throw (docs/errors.md): `code` is a stable string
 * from the throwing package's `codes` registry, never reused for another meaning. The packages
 * are ESM-only, so a process holds one copy of this class and `instanceof` is reliable.
 */
export class AppError<Code extends string = string> extends Error {
  /** Stable machine-readable code, listed in docs/errors.md. */
  readonly code: Code;

  /**
   * @param code From the throwing package's `codes`.
   * @param message For people; may change between versions (match on `code`).
   * @param options `cause`: the underlying failure, if any.
   */
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The one check for this project's errors: whether `error` is an {@link AppError}, and when
 * `code` is given, one with that code.
 * @param error Anything caught.
 * @param code A code from a package's `codes`; default: any code.
 */
export function isAppError<Code extends string>(
  error: unknown,
  code?: Code,
): error is AppError<Code> {
  return error instanceof AppError && (code === undefined || error.code === code);
}
