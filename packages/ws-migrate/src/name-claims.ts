import { ts } from 'ts-morph';

/**
 * Which local names a file declares, and for what. A claim's key names the entity behind the
 * name: two bindings with the same key (say `WebSocketManager` imported from '@app/ws-core' by a
 * static import) may share one local name; any other clash means the rewriter keeps the old
 * local name with an alias instead of renaming.
 */
export class NameClaims {
  private readonly claims = new Map<string, { key: string; typeOnly: boolean }>();
  private uniqueCount = 0;

  /** A key that clashes with every other. */
  uniqueKey(): string {
    this.uniqueCount += 1;
    return `#${this.uniqueCount}`;
  }

  /** Records a name unconditionally (a declaration that exists and keeps its name). */
  declare(name: string, key: string, typeOnly = false): void {
    if (!this.claims.has(name)) this.claims.set(name, { key, typeOnly });
  }

  /**
   * Takes `name` for the entity `key` unless another entity holds it. A type-only holder cannot
   * serve a value binding.
   */
  tryClaim(name: string, key: string, typeOnly: boolean): boolean {
    const holder = this.claims.get(name);
    if (holder === undefined) {
      this.claims.set(name, { key, typeOnly });
      return true;
    }
    return holder.key === key && (!holder.typeOnly || typeOnly);
  }

  /** `base`, or `base2`, `base3`, … : the first name not held by another entity. */
  claimFree(base: string, key: string): string {
    for (let suffix = 1; ; suffix += 1) {
      const name = suffix === 1 ? base : `${base}${suffix}`;
      if (this.tryClaim(name, key, false)) return name;
    }
  }
}

/** Every identifier a file declares a binding with (any scope), in source order. */
export function declaredIdentifiers(sourceFile: ts.SourceFile): ts.Identifier[] {
  const names: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    const name = declaredNameOf(node);
    if (name !== undefined) names.push(name);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names;
}

function declaredNameOf(node: ts.Node): ts.Identifier | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.ImportEqualsDeclaration:
    case ts.SyntaxKind.TypeParameter: {
      const name = (node as ts.NamedDeclaration).name;
      return name !== undefined && ts.isIdentifier(name) ? name : undefined;
    }
    default:
      return undefined;
  }
}
