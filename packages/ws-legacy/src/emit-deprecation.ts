import { DEPRECATION_CODES, type DeprecationCode } from './deprecation-codes.js';

/**
 * The codes already emitted in this process. The package is ESM-only (`require()` loads the
 * same module as `import`), so one module-level set is one per process.
 */
const warned = new Set<DeprecationCode>();

/** Forgets the codes already emitted, so a test can watch a first warning again. @internal */
export function forgetEmittedDeprecations(): void {
  warned.clear();
}

/**
 * Emits the `DeprecationWarning` registered under `code`, at most once per process.
 *
 * Goes through `process.emitWarning` with `type: 'DeprecationWarning'` and the code, so Node's
 * `--no-deprecation`, `--throw-deprecation`, `--trace-deprecation` and
 * `--disable-warning=<code>` apply. Does nothing where there is no `process` (browsers).
 * Under `--throw-deprecation` the throw propagates to the caller, which is Node's contract.
 */
export function emitDeprecation(code: DeprecationCode): void {
  if (typeof process === 'undefined' || typeof process.emitWarning !== 'function') return;
  if (warned.has(code)) return;
  warned.add(code);
  process.emitWarning(DEPRECATION_CODES[code].message, { type: 'DeprecationWarning', code });
}
