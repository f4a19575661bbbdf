import type { ts } from 'ts-morph';
import type { Carrier } from './import-carriers.js';

/**
 * Keys naming a canonical entity as bound in one carrier form and scope (the keys of
 * `NameClaims`), and the local name an existing canonical carrier already binds each one to.
 */
export class EntityKeys {
  private readonly scopeIds = new Map<ts.Node, number>();
  private readonly existingLocals = new Map<string, { local: string; position: number }>();

  /** The key of `module`'s export `name` bound by a `form` carrier in `scope`. */
  keyOf(form: Carrier['form'], scope: ts.Node, module: string, name: string): string {
    return `${form}|${this.scopeId(scope)}|${module}|${name}`;
  }

  /** Records the local an existing carrier statement at `position` binds `key` to; first wins. */
  recordExisting(key: string, local: string, position: number): void {
    if (!this.existingLocals.has(key)) this.existingLocals.set(key, { local, position });
  }

  /**
   * The existing local `carrier` can reuse for `key`: hoisted imports see any; other forms only
   * one bound before them.
   */
  existingLocalFor(key: string, carrier: Carrier): string | undefined {
    const existing = this.existingLocals.get(key);
    return existing !== undefined &&
      (carrier.form === 'import' || existing.position <= carrier.statement.pos)
      ? existing.local
      : undefined;
  }

  private scopeId(scope: ts.Node): number {
    let id = this.scopeIds.get(scope);
    if (id === undefined) {
      id = this.scopeIds.size + 1;
      this.scopeIds.set(scope, id);
    }
    return id;
  }
}
