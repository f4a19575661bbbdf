import { ts } from 'ts-morph';
import type { EntityKeys } from './entity-keys.js';
import { partsOf, type Carrier } from './import-carriers.js';
import { replacementOf } from './legacy-map.js';
import { declaredIdentifiers, type NameClaims } from './name-claims.js';
import type { TargetGroups } from './target-groups.js';

/**
 * Claims every name the file declares before any rename is chosen: names bound by existing
 * canonical carriers (in `groups`) for the entity they import, other declarations for nobody,
 * and legacy names that stay legacy for themselves. Legacy names that may move claim nothing.
 */
export function claimDeclaredNames(
  claims: NameClaims,
  sourceFile: ts.SourceFile,
  sourceText: string,
  legacyCarriers: readonly Carrier[],
  groups: TargetGroups,
  keys: EntityKeys,
): void {
  const legacyLocals = new Set<ts.Node>();
  for (const carrier of legacyCarriers) {
    for (const element of carrier.elements) legacyLocals.add(element.name);
  }
  const entityKeys = new Map<ts.Node, { key: string; typeOnly: boolean }>();
  for (const group of groups.all) {
    if (group.anchor.kind !== 'existing') continue;
    const carrier = group.anchor.carrier;
    for (const element of carrier.elements) {
      const parts = partsOf(element, sourceText);
      if (parts.local === undefined || parts.imported === undefined) continue;
      entityKeys.set(parts.local, {
        key: keys.keyOf(carrier.form, carrier.scope, carrier.specifier, parts.imported),
        typeOnly: carrier.typeOnly || parts.typeOnly,
      });
    }
  }
  for (const identifier of declaredIdentifiers(sourceFile)) {
    if (legacyLocals.has(identifier)) continue;
    const entity = entityKeys.get(identifier);
    if (entity === undefined) claims.declare(identifier.text, claims.uniqueKey());
    else claims.declare(identifier.text, entity.key, entity.typeOnly);
  }
  for (const carrier of legacyCarriers) {
    for (const element of carrier.elements) {
      if (!ts.isExportSpecifier(element) && ts.isIdentifier(element.name)) {
        const imported = partsOf(element, sourceText).imported;
        const replacement = imported === undefined ? undefined : replacementOf(imported);
        if (replacement === undefined || replacement.kind === 'none') {
          claims.declare(element.name.text, claims.uniqueKey());
        }
      }
    }
  }
}
