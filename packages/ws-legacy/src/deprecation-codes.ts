/**
 * Every deprecation warning this package emits, in one place (after Fastify's `FSTDEP0xx`
 * registry). A code names one deprecation forever: when one is retired its entry stays here,
 * and the number is never given to anything else. `docs/deprecations.md` carries one table row
 * per code; a test keeps the two in step.
 */

/** The major version of `@app/ws-legacy` that removes every deprecated path listed here. */
export const REMOVED_IN = '2.0';

/** One registered deprecation. */
export interface DeprecationEntry {
  /** What is deprecated, as a consumer wrote it. */
  readonly what: string;
  /** The canonical import that replaces it, e.g. `import { createLogger } from '@app/logging-ssot'`. */
  readonly replacement: string;
  /** The warning text: `<what> is deprecated; <replacement> instead. Removed in <major>.` */
  readonly message: string;
}

function entry(what: string, names: readonly string[], from: string): DeprecationEntry {
  const replacement = `import { ${names.join(', ')} } from '${from}'`;
  return {
    what,
    replacement,
    message: `${what} is deprecated; ${replacement} instead. Removed in ${REMOVED_IN}.`,
  };
}

const MANAGER_NAMES = ['WebSocketManager', 'getWebSocketManager'] as const;

/** The registry: code → deprecation. Append only; never renumber, never reuse a code. */
export const DEPRECATION_CODES = {
  APPWS_DEP001: entry("'@app/ws-legacy'", MANAGER_NAMES, '@app/ws-core'),
  APPWS_DEP002: entry("'@app/ws-legacy/manager'", MANAGER_NAMES, '@app/ws-core'),
  APPWS_DEP003: entry("'@app/ws-legacy/unified-manager'", MANAGER_NAMES, '@app/ws-core'),
  APPWS_DEP004: entry("'@app/ws-legacy/logging'", ['createLogger'], '@app/logging-ssot'),
  APPWS_DEP005: entry(
    'createWebSocketManager(ctx, mode): the mode argument is ignored, and createWebSocketManager',
    ['getWebSocketManager'],
    '@app/ws-core',
  ),
} as const satisfies Record<`APPWS_DEP${number}`, DeprecationEntry>;

/** A registered deprecation code. */
export type DeprecationCode = keyof typeof DEPRECATION_CODES;
