import { ts } from 'ts-morph';

/** A place where source code names a module by a string literal. */
export type ModuleReference =
  | { readonly kind: 'import'; readonly node: ts.ImportDeclaration; readonly specifier: string }
  | { readonly kind: 'export'; readonly node: ts.ExportDeclaration; readonly specifier: string }
  | {
      readonly kind: 'import-equals';
      readonly node: ts.ImportEqualsDeclaration;
      readonly specifier: string;
    }
  | { readonly kind: 'require'; readonly node: ts.CallExpression; readonly specifier: string }
  | {
      readonly kind: 'dynamic-import';
      readonly node: ts.CallExpression;
      readonly specifier: string;
    }
  | { readonly kind: 'import-type'; readonly node: ts.ImportTypeNode; readonly specifier: string };

/** The string literal holding a reference's module specifier. */
export function specifierLiteralOf(reference: ModuleReference): ts.StringLiteralLike {
  switch (reference.kind) {
    case 'import':
    case 'export':
      return reference.node.moduleSpecifier as ts.StringLiteral;
    case 'import-equals':
      return (reference.node.moduleReference as ts.ExternalModuleReference)
        .expression as ts.StringLiteral;
    case 'require':
    case 'dynamic-import':
      return reference.node.arguments[0] as ts.StringLiteralLike;
    case 'import-type':
      return (reference.node.argument as ts.LiteralTypeNode).literal as ts.StringLiteral;
  }
}

/**
 * The module reference `node` is, if any: `import … from 'm'`, `export … from 'm'`,
 * `import x = require('m')`, `require('m')`, `import('m')` or the type `import('m')`.
 * Only literal specifiers count; `require(name)` with a computed name is not a reference.
 */
export function moduleReferenceOf(node: ts.Node): ModuleReference | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.ImportDeclaration: {
      const declaration = node as ts.ImportDeclaration;
      return ts.isStringLiteral(declaration.moduleSpecifier)
        ? { kind: 'import', node: declaration, specifier: declaration.moduleSpecifier.text }
        : undefined;
    }
    case ts.SyntaxKind.ExportDeclaration: {
      const declaration = node as ts.ExportDeclaration;
      const literal = declaration.moduleSpecifier;
      return literal !== undefined && ts.isStringLiteral(literal)
        ? { kind: 'export', node: declaration, specifier: literal.text }
        : undefined;
    }
    case ts.SyntaxKind.ImportEqualsDeclaration: {
      const declaration = node as ts.ImportEqualsDeclaration;
      const reference = declaration.moduleReference;
      return ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)
        ? { kind: 'import-equals', node: declaration, specifier: reference.expression.text }
        : undefined;
    }
    case ts.SyntaxKind.CallExpression:
      return callReferenceOf(node as ts.CallExpression);
    case ts.SyntaxKind.ImportType: {
      const type = node as ts.ImportTypeNode;
      const argument = type.argument;
      return ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)
        ? { kind: 'import-type', node: type, specifier: argument.literal.text }
        : undefined;
    }
    default:
      return undefined;
  }
}

function callReferenceOf(call: ts.CallExpression): ModuleReference | undefined {
  const [first] = call.arguments;
  if (first === undefined || !ts.isStringLiteralLike(first)) return undefined;
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) {
    return { kind: 'dynamic-import', node: call, specifier: first.text };
  }
  if (
    ts.isIdentifier(call.expression) &&
    call.expression.text === 'require' &&
    call.arguments.length === 1
  ) {
    return { kind: 'require', node: call, specifier: first.text };
  }
  return undefined;
}

/** Every module reference in a file, in source order. */
export function collectModuleReferences(sourceFile: ts.SourceFile): ModuleReference[] {
  const references: ModuleReference[] = [];
  const visit = (node: ts.Node): void => {
    const reference = moduleReferenceOf(node);
    if (reference !== undefined) references.push(reference);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return references;
}

/**
 * The `require('m')` or `import('m')` call a variable initializer holds, looking through
 * `await` and parentheses: `const { A } = require('m')`, `const m = await import('m')`.
 */
export function moduleCallOfInitializer(
  initializer: ts.Expression | undefined,
): ts.CallExpression | undefined {
  let expression = initializer;
  while (expression !== undefined) {
    if (ts.isParenthesizedExpression(expression)) expression = expression.expression;
    else if (ts.isAwaitExpression(expression)) expression = expression.expression;
    else break;
  }
  if (expression === undefined || !ts.isCallExpression(expression)) return undefined;
  const reference = callReferenceOf(expression);
  return reference === undefined ? undefined : expression;
}
