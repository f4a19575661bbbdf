import type { ts } from 'ts-morph';
import type { Carrier, ListItem } from './import-carriers.js';

/** The statement a group's names end up in. */
export type Anchor =
  /** A canonical carrier the file already has: names are appended to its list. */
  | { readonly kind: 'existing'; readonly carrier: Carrier }
  /** A legacy carrier whose specifier is rewritten in place. */
  | { readonly kind: 'in-place'; readonly carrier: Carrier }
  /** A new statement right after the legacy carrier the names come from. */
  | { readonly kind: 'new'; readonly after: Carrier };

/** The names going to one canonical module, in one carrier form and one scope. */
export interface TargetGroup {
  readonly form: Carrier['form'];
  readonly scope: ts.Node;
  readonly module: string;
  readonly typeOnly: boolean;
  /** Where the anchor statement starts: `require` groups only serve carriers after it. */
  readonly position: number;
  readonly anchor: Anchor;
  /** Names to add beyond the anchor's own list. */
  readonly items: ListItem[];
  /** `name|local` of every binding the group holds, its own list included. */
  readonly present: Set<string>;
}

/** How an item binds: `name|local` (or `name|exported` for re-exports). */
export function identityOf(item: ListItem): string {
  return `${item.name}|${item.alias ?? item.name}`;
}

/**
 * The groups of one file. Names for a module join a group of the same form and scope: an
 * existing canonical carrier first, then one a legacy carrier became, else a new statement.
 */
export class TargetGroups {
  readonly all: TargetGroup[] = [];

  /** Registers a canonical carrier already in the file, with the bindings it holds. */
  addExisting(carrier: Carrier, present: Set<string>): void {
    this.all.push({
      form: carrier.form,
      scope: carrier.scope,
      module: carrier.specifier,
      typeOnly: carrier.typeOnly,
      position: carrier.statement.pos,
      anchor: { kind: 'existing', carrier },
      items: [],
      present,
    });
  }

  /**
   * The group a legacy carrier's names for `module` can join: same form and scope; a type-only
   * group only takes type-only names; a `require`/`await import` group must come first, since
   * its bindings do not exist before it runs.
   */
  find(carrier: Carrier, module: string): TargetGroup | undefined {
    const hoisted = carrier.form === 'import' || carrier.form === 'export';
    const candidates = this.all.filter(
      (group) =>
        group.form === carrier.form &&
        group.scope === carrier.scope &&
        group.module === module &&
        (!group.typeOnly || carrier.typeOnly) &&
        (hoisted || group.position <= carrier.statement.pos),
    );
    return candidates.find((group) => group.typeOnly === carrier.typeOnly) ?? candidates[0];
  }

  /** A new group for `module`, anchored in or after `carrier`. */
  create(carrier: Carrier, module: string, anchor: Anchor): TargetGroup {
    const group: TargetGroup = {
      form: carrier.form,
      scope: carrier.scope,
      module,
      typeOnly: carrier.typeOnly,
      position: carrier.statement.pos,
      anchor,
      items: [],
      present: new Set(),
    };
    this.all.push(group);
    return group;
  }

  /**
   * Whether a group of the same form, scope and module already binds the item's name the same
   * way (a value binding also serves a type-only item).
   */
  isProvided(group: TargetGroup, item: ListItem): boolean {
    const identity = identityOf(item);
    return this.all.some(
      (other) =>
        other.form === group.form &&
        other.scope === group.scope &&
        other.module === group.module &&
        other.present.has(identity) &&
        (other === group || !other.typeOnly || item.typeOnly),
    );
  }

  /** Adds a name unless it is bound already; a value binding replaces a type-only one. */
  addItem(group: TargetGroup, item: ListItem): void {
    const identity = identityOf(item);
    if (this.isProvided(group, item)) {
      const index = group.items.findIndex((other) => identityOf(other) === identity);
      const other = group.items[index];
      if (other !== undefined && other.typeOnly && !item.typeOnly) group.items[index] = item;
      return;
    }
    group.present.add(identity);
    group.items.push(item);
  }
}
