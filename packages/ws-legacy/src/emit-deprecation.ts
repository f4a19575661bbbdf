import { DEPRECATION_CODES, type DeprecationCode } from './deprecation-codes.js';

/**
 * The once-flags live on `globalThis` under a registered symbol, not in a module variable:
 * the ESM and the CJS build of this package can both be loaded in one process, and each must
 * not warn again for an entry point the other has already reported.
 */
const WARNED_KEY = Symbol.for('@app/ws-legacy/warned');

function warnedCodes(): Set<string> {
  const holder = globalThis as unknown as Record<symbol, unknown>;
  const existing = holder[WARNED_KEY];
  if (existing instanceof Set) return existing as Set<string>;
  const created = new Set<string>();
  holder[WARNED_KEY] = created;
  return created;
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
  const warned = warnedCodes();
  if (warned.has(code)) return;
  warned.add(code);
  process.emitWarning(DEPRECATION_CODES[code].message, { type: 'DeprecationWarning', code });
}
