import { ts } from 'ts-morph';
import { dropExtraArguments } from './extra-arguments.js';
import {
  partsOf,
  type Carrier,
  type CarrierElement,
  type ElementParts,
} from './import-carriers.js';
import { replacementOf } from './legacy-map.js';
import type { ReferenceIndex } from './reference-index.js';
import type { TextEdit } from './text-edits.js';

/** What happens to one element of a legacy carrier. */
export type Decision =
  | { readonly kind: 'stay' }
  | { readonly kind: 'remove' }
  /** `WebSocketManagerMode`: removed when nothing uses it once mode arguments are dropped. */
  | { readonly kind: 'unused-or-stay'; readonly local: ts.Identifier }
  | {
      readonly kind: 'move';
      readonly module: string;
      readonly name: string;
      readonly parts: ElementParts;
      readonly typeOnly: boolean;
    }
  /** `centralLogger`: import the factory and create the instance after the imports. */
  | {
      readonly kind: 'instance';
      readonly module: string;
      readonly name: string;
      readonly argument: string;
      readonly local: ts.Identifier;
    };

/** A decision, with the call-argument drops it needs: edits the rewrite must also make. */
export interface ElementDecision {
  readonly decision: Decision;
  readonly drops: readonly TextEdit[];
}

const noDrops: readonly TextEdit[] = [];

/** Decides what happens to one element of a legacy carrier, from the legacy map. */
export function decideElement(
  carrier: Carrier,
  element: CarrierElement,
  sourceText: string,
  index: ReferenceIndex,
): ElementDecision {
  const stay: ElementDecision = { decision: { kind: 'stay' }, drops: noDrops };
  const parts = partsOf(element, sourceText);
  const replacement = parts.imported === undefined ? undefined : replacementOf(parts.imported);
  if (replacement === undefined) return stay;
  const isReexport = carrier.form === 'export';
  if (!isReexport && parts.local === undefined) return stay;
  const typeOnly = carrier.typeOnly || parts.typeOnly;
  switch (replacement.kind) {
    case 'rename':
      return {
        decision: {
          kind: 'move',
          module: replacement.module,
          name: replacement.name,
          parts,
          typeOnly,
        },
        drops: noDrops,
      };
    case 'drop-extra-arguments': {
      if (isReexport || parts.local === undefined) return stay;
      const drops = dropsAtCallSites(parts.local, index);
      if (drops === undefined) return stay;
      return {
        decision: {
          kind: 'move',
          module: replacement.module,
          name: replacement.name,
          parts,
          typeOnly,
        },
        drops,
      };
    }
    case 'instance':
      if (isReexport || typeOnly || parts.local === undefined || parts.initializer !== undefined) {
        return stay;
      }
      return { decision: { ...replacement, kind: 'instance', local: parts.local }, drops: noDrops };
    case 'none':
      return isReexport || parts.local === undefined
        ? stay
        : { decision: { kind: 'unused-or-stay', local: parts.local }, drops: noDrops };
  }
}

/**
 * Settles an `unused-or-stay` decision once every drop is known: `remove` when no reference to
 * `local` is left outside the dropped arguments, else `stay`.
 */
export function decideUnused(
  local: ts.Identifier,
  index: ReferenceIndex,
  drops: readonly TextEdit[],
): Decision {
  const used = index
    .referencesTo(local)
    .some(
      (reference) =>
        !drops.some((drop) => reference.getStart() >= drop.start && reference.end <= drop.end),
    );
  return used ? { kind: 'stay' } : { kind: 'remove' };
}

/** The edits dropping the extra arguments of every call, or `undefined` if a use is not a safe call. */
function dropsAtCallSites(local: ts.Identifier, index: ReferenceIndex): TextEdit[] | undefined {
  const drops: TextEdit[] = [];
  for (const reference of index.referencesTo(local)) {
    const call = reference.parent;
    if (!ts.isCallExpression(call) || call.expression !== reference) return undefined;
    const dropped = dropExtraArguments(call);
    if (dropped === undefined) return undefined;
    drops.push(...dropped);
  }
  return drops;
}
