import { ts } from 'ts-morph';
import type { Finding, FindingKind } from './finding.js';
import {
  describeInstantiation,
  describeLegacyReference,
  describeWirePath,
} from './finding-detail.js';
import {
  FACTORY_FUNCTION_NAMES,
  MANAGER_CLASS_NAMES,
  isLegacySpecifier,
  isWsSpecifier,
} from './legacy-map.js';
import { legacyWirePathIn } from './legacy-wire-paths.js';
import {
  moduleCallOfInitializer,
  moduleReferenceOf,
  specifierLiteralOf,
  type ModuleReference,
} from './module-references.js';
import { lineOf, parseSource } from './source-parser.js';

/** What one file says about the ws packages. */
export interface SourceScan {
  /** Legacy usages, in line order. */
  readonly findings: Finding[];
  /** Whether the file imports or requires an `@app/ws-*` package or has any finding. */
  readonly touchesWs: boolean;
}

// Every construct scan looks for spells one of these somewhere in the file's text, so a file
// without any of them is skipped unparsed.
const MAY_TOUCH_WS =
  /@app\/ws-|WebSocketManager|WebSocketConnectionManager|\/websocket|mode=legacy/i;

const KIND_OF_REFERENCE: Readonly<Record<ModuleReference['kind'], FindingKind>> = {
  import: 'legacy-import',
  'import-type': 'legacy-import',
  export: 'legacy-reexport',
  'import-equals': 'legacy-require',
  require: 'legacy-require',
  'dynamic-import': 'legacy-dynamic-import',
};

interface InstantiationCandidate {
  readonly node: ts.NewExpression;
  /** The identifier written after `new`, or after `namespace.` when `viaNamespace` is set. */
  readonly written: string;
  readonly viaNamespace: string | undefined;
}

/** `const { A, B: b } = require('m')`: the names taken, and where the declaration starts. */
interface Destructuring {
  readonly names: string[];
  readonly declaration: ts.VariableDeclaration;
}

/** Where a local name came from: a module and the name it exports. */
interface ImportedName {
  readonly specifier: string;
  readonly name: string;
}

/**
 * Scans one file's text for legacy usage. Parses with the TypeScript parser alone, so names in
 * comments and unrelated strings are never findings.
 * @param fileName used for the parser's script kind (by extension)
 */
export function scanSource(fileName: string, text: string): SourceScan {
  if (!MAY_TOUCH_WS.test(text)) return { findings: [], touchesWs: false };
  const sourceFile = parseSource(fileName, text);
  const findings: Finding[] = [];
  let touchesWs = false;
  const specifierLiterals = new Set<ts.Node>();
  const destructuredNames = new Map<ts.CallExpression, Destructuring>();
  const importedNames = new Map<string, ImportedName>();
  const namespaceSpecifiers = new Map<string, string>();
  const localClasses = new Set<string>();
  const candidates: InstantiationCandidate[] = [];

  const report = (node: ts.Node, kind: FindingKind, detail: string): void => {
    findings.push({ line: lineOf(node, sourceFile), kind, detail });
  };

  const onReference = (reference: ModuleReference): void => {
    specifierLiterals.add(specifierLiteralOf(reference));
    recordBindings(reference, importedNames, namespaceSpecifiers);
    if (isWsSpecifier(reference.specifier)) touchesWs = true;
    if (!isLegacySpecifier(reference.specifier)) return;
    const names = namesTakenBy(reference, destructuredNames);
    report(
      // `const {\n A,\n} = require('m')` is reported where the declaration starts.
      destructuredNames.get(reference.node as ts.CallExpression)?.declaration ?? reference.node,
      KIND_OF_REFERENCE[reference.kind],
      describeLegacyReference(reference.specifier, names),
    );
  };

  const visit = (node: ts.Node, inFactory: boolean): void => {
    const reference = moduleReferenceOf(node);
    if (reference !== undefined) onReference(reference);
    let childrenInFactory = inFactory;
    switch (node.kind) {
      case ts.SyntaxKind.VariableDeclaration:
        recordDestructuring(node as ts.VariableDeclaration, {
          destructuredNames,
          importedNames,
          namespaceSpecifiers,
        });
        break;
      case ts.SyntaxKind.ClassDeclaration: {
        const name = (node as ts.ClassDeclaration).name?.text;
        if (name !== undefined && MANAGER_CLASS_NAMES.has(name)) localClasses.add(name);
        break;
      }
      case ts.SyntaxKind.NewExpression: {
        const candidate = instantiationCandidateOf(node as ts.NewExpression);
        if (candidate !== undefined && !inFactory) candidates.push(candidate);
        break;
      }
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateHead:
      case ts.SyntaxKind.TemplateMiddle:
      case ts.SyntaxKind.TemplateTail: {
        if (specifierLiterals.has(node)) break;
        const path = legacyWirePathIn((node as ts.LiteralLikeNode).text);
        if (path !== undefined) report(node, 'legacy-wire-path', describeWirePath(path));
        break;
      }
      default:
        break;
    }
    if (isFactory(node)) childrenInFactory = true;
    ts.forEachChild(node, childrenInFactory ? visitInFactory : visitOutsideFactory);
  };
  // One callback per context instead of a closure per node: the walk is the scan's hot loop.
  const visitInFactory = (child: ts.Node): void => visit(child, true);
  const visitOutsideFactory = (child: ts.Node): void => visit(child, false);
  visit(sourceFile, false);

  for (const candidate of candidates) {
    const className = instantiatedManagerClass(
      candidate,
      importedNames,
      namespaceSpecifiers,
      localClasses,
    );
    if (className !== undefined) {
      report(
        candidate.node,
        'direct-instantiation',
        describeInstantiation(candidate.written, className),
      );
    }
  }
  findings.sort((a, b) => a.line - b.line);
  return { findings, touchesWs: touchesWs || findings.length > 0 };
}

function namesTakenBy(
  reference: ModuleReference,
  destructuredNames: ReadonlyMap<ts.CallExpression, Destructuring>,
): string[] {
  switch (reference.kind) {
    case 'import': {
      const clause = reference.node.importClause;
      if (clause === undefined) return [];
      const names = clause.name === undefined ? [] : ['default'];
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements)
          names.push((element.propertyName ?? element.name).text);
      }
      return names;
    }
    case 'export': {
      const clause = reference.node.exportClause;
      if (clause === undefined || !ts.isNamedExports(clause)) return [];
      return clause.elements.map((element) => (element.propertyName ?? element.name).text);
    }
    case 'require':
    case 'dynamic-import':
      return destructuredNames.get(reference.node)?.names ?? [];
    case 'import-type': {
      const qualifier = reference.node.qualifier;
      if (qualifier === undefined) return [];
      return [ts.isIdentifier(qualifier) ? qualifier.text : leftmostOf(qualifier).text];
    }
    case 'import-equals':
      return [];
  }
}

function leftmostOf(name: ts.QualifiedName): ts.Identifier {
  let left: ts.EntityName = name;
  while (ts.isQualifiedName(left)) left = left.left;
  return left;
}

/** Records `const { A, B: b } = require('m')` / `await import('m')` names and namespaces. */
function recordDestructuring(
  declaration: ts.VariableDeclaration,
  into: {
    readonly destructuredNames: Map<ts.CallExpression, Destructuring>;
    readonly importedNames: Map<string, ImportedName>;
    readonly namespaceSpecifiers: Map<string, string>;
  },
): void {
  const call = moduleCallOfInitializer(declaration.initializer);
  if (call === undefined) return;
  const specifier = (call.arguments[0] as ts.StringLiteralLike).text;
  if (ts.isIdentifier(declaration.name)) {
    into.namespaceSpecifiers.set(declaration.name.text, specifier);
    return;
  }
  if (!ts.isObjectBindingPattern(declaration.name)) return;
  const names: string[] = [];
  for (const element of declaration.name.elements) {
    const property = element.propertyName ?? element.name;
    if (!ts.isIdentifier(property)) continue;
    names.push(property.text);
    if (ts.isIdentifier(element.name)) {
      into.importedNames.set(element.name.text, { specifier, name: property.text });
    }
  }
  into.destructuredNames.set(call, { names, declaration });
}

function recordBindings(
  reference: ModuleReference,
  importedNames: Map<string, ImportedName>,
  namespaceSpecifiers: Map<string, string>,
): void {
  if (reference.kind === 'import-equals') {
    namespaceSpecifiers.set(reference.node.name.text, reference.specifier);
    return;
  }
  if (reference.kind !== 'import') return;
  const bindings = reference.node.importClause?.namedBindings;
  if (bindings === undefined) return;
  if (ts.isNamespaceImport(bindings)) {
    namespaceSpecifiers.set(bindings.name.text, reference.specifier);
    return;
  }
  for (const element of bindings.elements) {
    importedNames.set(element.name.text, {
      specifier: reference.specifier,
      name: (element.propertyName ?? element.name).text,
    });
  }
}

function instantiationCandidateOf(node: ts.NewExpression): InstantiationCandidate | undefined {
  const expression = node.expression;
  if (ts.isIdentifier(expression))
    return { node, written: expression.text, viaNamespace: undefined };
  if (
    ts.isPropertyAccessExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    ts.isIdentifier(expression.name) &&
    MANAGER_CLASS_NAMES.has(expression.name.text)
  ) {
    return { node, written: expression.name.text, viaNamespace: expression.expression.text };
  }
  return undefined;
}

/**
 * The manager class a `new` constructs, or `undefined` when it is not one of ws's: a class of
 * that name declared in the file or imported from a non-ws module is somebody else's.
 */
function instantiatedManagerClass(
  candidate: InstantiationCandidate,
  importedNames: ReadonlyMap<string, ImportedName>,
  namespaceSpecifiers: ReadonlyMap<string, string>,
  localClasses: ReadonlySet<string>,
): string | undefined {
  if (candidate.viaNamespace !== undefined) {
    const specifier = namespaceSpecifiers.get(candidate.viaNamespace);
    return specifier !== undefined && isWsSpecifier(specifier) ? candidate.written : undefined;
  }
  const imported = importedNames.get(candidate.written);
  if (imported !== undefined) {
    return isWsSpecifier(imported.specifier) && MANAGER_CLASS_NAMES.has(imported.name)
      ? imported.name
      : undefined;
  }
  if (localClasses.has(candidate.written)) return undefined;
  return MANAGER_CLASS_NAMES.has(candidate.written) ? candidate.written : undefined;
}

/** A function, method or variable named like the factory: its `new`s are the factory's own. */
function isFactory(node: ts.Node): boolean {
  if (
    !ts.isFunctionDeclaration(node) &&
    !ts.isFunctionExpression(node) &&
    !ts.isMethodDeclaration(node) &&
    !ts.isVariableDeclaration(node) &&
    !ts.isPropertyAssignment(node) &&
    !ts.isPropertyDeclaration(node)
  ) {
    return false;
  }
  const name = node.name;
  return name !== undefined && ts.isIdentifier(name) && FACTORY_FUNCTION_NAMES.has(name.text);
}
