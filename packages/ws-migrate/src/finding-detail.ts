import { canonicalEntryPoint, replacementOf } from './legacy-map.js';
import { CANONICAL_ENDPOINT } from './legacy-wire-paths.js';

/**
 * The detail of a legacy module reference: the specifier, the names taken from it when known,
 * and where they live now, e.g.
 * `@app/ws-legacy/manager { UnifiedWebSocketManager } → @app/ws-core`.
 */
export function describeLegacyReference(specifier: string, names: readonly string[]): string {
  if (names.length === 0) {
    return `${specifier} → ${canonicalEntryPoint(specifier) ?? 'no canonical entry point'}`;
  }
  const modules = new Set<string>();
  const notes: string[] = [];
  for (const name of names) {
    const replacement = replacementOf(name);
    if (replacement === undefined) notes.push(`${name}: not in the migration table`);
    else if (replacement.kind === 'none') notes.push(`${name}: no replacement`);
    else modules.add(replacement.module);
  }
  const targets = [...modules];
  const parts = [`${specifier} { ${names.join(', ')} }`];
  if (targets.length > 0) parts.push(`→ ${targets.join(', ')}`);
  if (notes.length > 0) parts.push(`(${notes.join('; ')})`);
  return parts.join(' ');
}

/** The detail of a direct `new` of a manager class. */
export function describeInstantiation(written: string, className: string): string {
  const shown = written === className ? className : `${written} (${className})`;
  return `new ${shown}(…) → getWebSocketManager(ctx) from @app/ws-core`;
}

/** The detail of a legacy wire path in a string. */
export function describeWirePath(path: string): string {
  return `${path} → ${CANONICAL_ENDPOINT} (legacy wire mode, docs/protocol.md#7-legacy-wire-mode)`;
}
