import { ts } from 'ts-morph';
import { dropExtraArguments } from './extra-arguments.js';
import { canonicalEntryPoint, replacementOf } from './legacy-map.js';
import { specifierLiteralOf, type ModuleReference } from './module-references.js';
import type { ReferenceIndex } from './reference-index.js';
import type { TextEdit } from './text-edits.js';

/** The edits of a whole-module rewrite; `drops` are the removed call arguments among them. */
export interface WholeModuleRewrite {
  readonly edits: readonly TextEdit[];
  readonly drops: readonly TextEdit[];
}

/**
 * Rewrites of legacy references that take a module as a whole rather than a list of names:
 * side-effect imports (`import '@app/ws-legacy'`, `require('…');`), namespaces
 * (`import * as ws`, `import ws = require(…)`, `const ws = require(…)`,
 * `const ws = await import(…)`) and type imports (`import('@app/ws-legacy').WebSocketManager`).
 * Returns the edits, or `undefined` when the reference stays as it is.
 */
export function rewriteWholeModule(
  reference: ModuleReference,
  index: ReferenceIndex,
  sourceText: string,
): WholeModuleRewrite | undefined {
  const literal = specifierLiteralOf(reference);
  const toModule = (module: string): TextEdit => {
    const quote = sourceText.charAt(literal.getStart());
    return { start: literal.getStart(), end: literal.end, text: `${quote}${module}${quote}` };
  };
  const entryPoint = canonicalEntryPoint(reference.specifier);
  const moved = (module: string | undefined): WholeModuleRewrite | undefined =>
    module === undefined ? undefined : { edits: [toModule(module)], drops: [] };
  switch (reference.kind) {
    case 'import': {
      const clause = reference.node.importClause;
      if (clause === undefined) return moved(entryPoint);
      const bindings = clause.namedBindings;
      if (clause.name !== undefined || bindings === undefined) return undefined;
      // `import {} from '…'` still loads the module: it is a side-effect import.
      if (ts.isNamedImports(bindings))
        return bindings.elements.length === 0 ? moved(entryPoint) : undefined;
      return rewriteNamespace(bindings.name, reference.specifier, index, toModule);
    }
    case 'import-equals':
      return rewriteNamespace(reference.node.name, reference.specifier, index, toModule);
    case 'require':
    case 'dynamic-import': {
      const use = useOfModuleCall(reference.node);
      if (use === 'side-effect') return moved(entryPoint);
      if (use === undefined) return undefined;
      if (ts.isObjectBindingPattern(use)) return rewritePattern(use, toModule);
      return rewriteNamespace(use, reference.specifier, index, toModule);
    }
    case 'import-type': {
      const qualifier = reference.node.qualifier;
      if (qualifier === undefined) return undefined;
      let first: ts.EntityName = qualifier;
      while (ts.isQualifiedName(first)) first = first.left;
      const replacement = replacementOf(first.text);
      if (replacement?.kind !== 'rename') return undefined;
      const edits = [toModule(replacement.module)];
      if (replacement.name !== first.text) {
        edits.push({ start: first.getStart(), end: first.end, text: replacement.name });
      }
      return { edits, drops: [] };
    }
    case 'export':
      return undefined;
  }
}

/**
 * How a `require()`/`import()` call's module is used: only for its side effects (an expression
 * statement), bound to one name (`const ws = …`, `import(…).then((ws) => …)`), destructured in
 * a `.then` callback (`import(…).then(({ A }) => …)`), or some other way (`undefined`).
 */
function useOfModuleCall(
  call: ts.CallExpression,
): 'side-effect' | ts.Identifier | ts.ObjectBindingPattern | undefined {
  let node: ts.Node = call;
  const isDynamic = call.expression.kind === ts.SyntaxKind.ImportKeyword;
  let awaited = false;
  for (;;) {
    const parent: ts.Node = node.parent;
    if (ts.isParenthesizedExpression(parent)) node = parent;
    else if (ts.isAwaitExpression(parent) && isDynamic && !awaited) {
      awaited = true;
      node = parent;
    } else if (ts.isVoidExpression(parent)) node = parent;
    else break;
  }
  const parent = node.parent;
  if (ts.isExpressionStatement(parent)) return 'side-effect';
  if (isDynamic && !awaited) return thenParameterOf(node);
  if (
    ts.isVariableDeclaration(parent) &&
    parent.initializer === node &&
    ts.isIdentifier(parent.name)
  ) {
    return parent.name;
  }
  return undefined;
}

/** The first parameter of the callback in `<promise>.then(callback)`, when it binds one. */
function thenParameterOf(promise: ts.Node): ts.Identifier | ts.ObjectBindingPattern | undefined {
  const access = promise.parent;
  if (
    !ts.isPropertyAccessExpression(access) ||
    access.expression !== promise ||
    access.name.text !== 'then'
  ) {
    return undefined;
  }
  const call = access.parent;
  if (!ts.isCallExpression(call) || call.expression !== access) return undefined;
  const [callback] = call.arguments;
  if (
    callback === undefined ||
    !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))
  ) {
    return undefined;
  }
  const name = callback.parameters[0]?.name;
  return name !== undefined && (ts.isIdentifier(name) || ts.isObjectBindingPattern(name))
    ? name
    : undefined;
}

/**
 * `({ UnifiedWebSocketManager: M, CRITICAL_EVENTS }) => …` on a module: each property is renamed
 * in place (the local names stay), provided every name is a plain rename into one module.
 */
function rewritePattern(
  pattern: ts.ObjectBindingPattern,
  toModule: (module: string) => TextEdit,
): WholeModuleRewrite | undefined {
  const edits: TextEdit[] = [];
  const modules = new Set<string>();
  for (const element of pattern.elements) {
    const property = element.propertyName ?? element.name;
    if (element.dotDotDotToken !== undefined || !ts.isIdentifier(property)) return undefined;
    const replacement = replacementOf(property.text);
    if (replacement?.kind !== 'rename') return undefined;
    modules.add(replacement.module);
    if (replacement.name === property.text) continue;
    const text =
      element.propertyName === undefined
        ? `${replacement.name}: ${property.text}`
        : replacement.name;
    edits.push({ start: property.getStart(), end: property.end, text });
  }
  const [module, ...others] = [...modules];
  if (module === undefined || others.length > 0) return undefined;
  return { edits: [toModule(module), ...edits], drops: [] };
}

/** `ns.Name` (in an expression or a type): the member named; `undefined` for any other use. */
function memberOf(reference: ts.Identifier): ts.Identifier | undefined {
  const parent = reference.parent;
  let member: ts.MemberName | undefined;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === reference)
    member = parent.name;
  else if (ts.isQualifiedName(parent) && parent.left === reference) member = parent.right;
  return member !== undefined && ts.isIdentifier(member) ? member : undefined;
}

/**
 * A namespace moves when every use is `ns.Name` (or `ns.Name` in a type) with `Name` renamed
 * into one canonical module, and `ns.createWebSocketManager(…)` calls can drop their mode
 * (uses inside the dropped arguments, like `ns.WebSocketManagerMode.X`, go with them).
 */
function rewriteNamespace(
  name: ts.Identifier,
  specifier: string,
  index: ReferenceIndex,
  toModule: (module: string) => TextEdit,
): WholeModuleRewrite | undefined {
  const references = index.referencesTo(name);
  const drops: TextEdit[] = [];
  for (const reference of references) {
    const member = memberOf(reference);
    if (member === undefined || replacementOf(member.text)?.kind !== 'drop-extra-arguments')
      continue;
    const call = member.parent.parent;
    if (!ts.isCallExpression(call) || call.expression !== member.parent) return undefined;
    const dropped = dropExtraArguments(call);
    if (dropped === undefined) return undefined;
    drops.push(...dropped);
  }
  const edits: TextEdit[] = [];
  const modules = new Set<string>();
  for (const reference of references) {
    const start = reference.getStart();
    if (drops.some((drop) => start >= drop.start && reference.end <= drop.end)) continue;
    const member = memberOf(reference);
    if (member === undefined) return undefined;
    const replacement = replacementOf(member.text);
    if (replacement?.kind !== 'rename' && replacement?.kind !== 'drop-extra-arguments')
      return undefined;
    modules.add(replacement.module);
    if (replacement.name !== member.text) {
      edits.push({ start: member.getStart(), end: member.end, text: replacement.name });
    }
  }
  const [module, ...others] = modules.size === 0 ? [canonicalEntryPoint(specifier)] : [...modules];
  if (module === undefined || others.length > 0) return undefined;
  return { edits: [toModule(module), ...edits, ...drops], drops };
}
