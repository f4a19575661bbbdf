import { ts } from 'ts-morph';
import type { TextEdit } from './text-edits.js';

/**
 * Finds the identifiers bound to a declaration, through the binder: a parameter or local of the
 * same name that shadows an import is not one of its references.
 */
export class ReferenceIndex {
  private byName: Map<string, ts.Identifier[]> | undefined;

  /**
   * @param sourceFile parsed with parent pointers
   * @param checker of a program holding `sourceFile`
   */
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly checker: ts.TypeChecker,
  ) {}

  /** Every identifier referring to the declaration named `declarationName`, in source order. */
  referencesTo(declarationName: ts.Identifier): ts.Identifier[] {
    const symbol = this.checker.getSymbolAtLocation(declarationName);
    if (symbol === undefined) return [];
    const candidates = this.identifiersNamed(declarationName.text);
    return candidates.filter(
      (identifier) =>
        identifier !== declarationName && this.symbolReferencedBy(identifier) === symbol,
    );
  }

  private identifiersNamed(name: string): ts.Identifier[] {
    if (this.byName === undefined) {
      const byName = new Map<string, ts.Identifier[]>();
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node)) {
          const list = byName.get(node.text);
          if (list === undefined) byName.set(node.text, [node]);
          else list.push(node);
        }
        ts.forEachChild(node, visit);
      };
      visit(this.sourceFile);
      this.byName = byName;
    }
    return this.byName.get(name) ?? [];
  }

  /** The symbol of the value or type an identifier reads (not the property it may also name). */
  private symbolReferencedBy(identifier: ts.Identifier): ts.Symbol | undefined {
    const parent = identifier.parent;
    if (ts.isShorthandPropertyAssignment(parent) && parent.name === identifier) {
      return this.checker.getShorthandAssignmentValueSymbol(parent);
    }
    if (ts.isExportSpecifier(parent)) {
      if (parent.parent.parent.moduleSpecifier !== undefined) return undefined;
      if ((parent.propertyName ?? parent.name) !== identifier) return undefined;
      return this.checker.getExportSpecifierLocalTargetSymbol(parent);
    }
    return this.checker.getSymbolAtLocation(identifier);
  }
}

/**
 * The edits renaming `references` of a binding from `oldName` to `newName` without changing
 * anything else: `{ old }` becomes `{ old: new }`, `export { old }` becomes
 * `export { new as old }`, so property keys and exported names stay as they were.
 */
export function renameEdits(
  references: readonly ts.Identifier[],
  oldName: string,
  newName: string,
): TextEdit[] {
  return references.map((reference) => {
    const parent = reference.parent;
    let text = newName;
    if (ts.isShorthandPropertyAssignment(parent) && parent.name === reference) {
      text = `${oldName}: ${newName}`;
    } else if (ts.isExportSpecifier(parent) && parent.propertyName === undefined) {
      text = `${newName} as ${oldName}`;
    }
    return { start: reference.getStart(), end: reference.end, text };
  });
}
