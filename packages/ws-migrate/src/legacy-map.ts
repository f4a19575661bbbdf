/**
 * The table of legacy entry points and names and their canonical replacements
 * (docs/migration.md#legacy-entry-points). `scan` and `fix` read nothing else.
 */

/** The legacy package; every specifier equal to it or below it (`@app/ws-legacy/…`) is legacy. */
export const LEGACY_PACKAGE = '@app/ws-legacy';

/** Prefix shared by every WebSocket package; importing one of them "touches" the ws packages. */
const WS_PACKAGE_PREFIX = '@app/ws-';

/** Legacy entry point → the canonical module that replaces it as a whole. */
export const LEGACY_ENTRY_POINTS: Readonly<Record<string, string>> = {
  '@app/ws-legacy': '@app/ws-core',
  '@app/ws-legacy/manager': '@app/ws-core',
  '@app/ws-legacy/unified-manager': '@app/ws-core',
  '@app/ws-legacy/logging': '@app/logging-ssot',
};

/** What happens to one legacy export name. */
export type NameReplacement =
  /** Import `name` from `module` instead (the local name follows when it was the old name). */
  | { readonly kind: 'rename'; readonly module: string; readonly name: string }
  /**
   * `createWebSocketManager(ctx, mode?)` → `getWebSocketManager(ctx)`: the call sites drop every
   * argument after the first.
   */
  | { readonly kind: 'drop-extra-arguments'; readonly module: string; readonly name: string }
  /** A ready-made instance: `const <local> = <name>(<argument>)` after importing `name`. */
  | {
      readonly kind: 'instance';
      readonly module: string;
      readonly name: string;
      readonly argument: string;
    }
  /** Nothing replaces it: kept on the legacy import while used, removed when unused. */
  | { readonly kind: 'none' };

/** Legacy export name → its replacement. Names not listed here are left alone and reported. */
export const LEGACY_NAMES: Readonly<Record<string, NameReplacement>> = {
  WebSocketManager: { kind: 'rename', module: '@app/ws-core', name: 'WebSocketManager' },
  UnifiedWebSocketManager: { kind: 'rename', module: '@app/ws-core', name: 'WebSocketManager' },
  WebSocketConnectionManager: { kind: 'rename', module: '@app/ws-core', name: 'WebSocketManager' },
  getWebSocketManager: { kind: 'rename', module: '@app/ws-core', name: 'getWebSocketManager' },
  createWebSocketManager: {
    kind: 'drop-extra-arguments',
    module: '@app/ws-core',
    name: 'getWebSocketManager',
  },
  CRITICAL_EVENTS: { kind: 'rename', module: '@app/ws-protocol', name: 'CRITICAL_EVENTS' },
  getUnifiedLogger: { kind: 'rename', module: '@app/logging-ssot', name: 'createLogger' },
  centralLogger: {
    kind: 'instance',
    module: '@app/logging-ssot',
    name: 'createLogger',
    argument: "'app'",
  },
  WebSocketManagerMode: { kind: 'none' },
};

/** Class names whose direct `new` bypasses the factory `getWebSocketManager(ctx)`. */
export const MANAGER_CLASS_NAMES: ReadonlySet<string> = new Set([
  'WebSocketManager',
  'UnifiedWebSocketManager',
  'WebSocketConnectionManager',
]);

/** Functions inside which `new WebSocketManager(…)` is the factory's own business. */
export const FACTORY_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  'getWebSocketManager',
  'createWebSocketManager',
]);

/** Whether a module specifier names the legacy package or one of its subpaths. */
export function isLegacySpecifier(specifier: string): boolean {
  return specifier === LEGACY_PACKAGE || specifier.startsWith(`${LEGACY_PACKAGE}/`);
}

/** Whether a module specifier names any `@app/ws-*` package (legacy or canonical). */
export function isWsSpecifier(specifier: string): boolean {
  return specifier.startsWith(WS_PACKAGE_PREFIX);
}

/** The replacement of a legacy export name, or `undefined` when the table does not know it. */
export function replacementOf(name: string): NameReplacement | undefined {
  return Object.hasOwn(LEGACY_NAMES, name) ? LEGACY_NAMES[name] : undefined;
}

/** The canonical module replacing a whole legacy entry point, when there is one. */
export function canonicalEntryPoint(specifier: string): string | undefined {
  return Object.hasOwn(LEGACY_ENTRY_POINTS, specifier) ? LEGACY_ENTRY_POINTS[specifier] : undefined;
}
