import { ts } from 'ts-morph';
import { specifierLiteralOf, type ModuleReference } from './module-references.js';
import { indentationAt, type TextEdit } from './text-edits.js';

/**
 * A "carrier" is a statement that takes a list of names from one module:
 * `import { A, B as b } from 'm'`, `export { A } from 'm'`, `const { A, B: b } = require('m')`
 * or `const { A } = await import('m')`. The rewriter moves names between carriers.
 */
export type CarrierForm = 'import' | 'export' | 'require' | 'await-import';

/** One entry of a carrier's list. */
export type CarrierElement = ts.ImportSpecifier | ts.ExportSpecifier | ts.BindingElement;

/** A statement taking a list of names from one module. */
export interface Carrier {
  readonly form: CarrierForm;
  readonly statement: ts.ImportDeclaration | ts.ExportDeclaration | ts.VariableStatement;
  readonly list: ts.NamedImports | ts.NamedExports | ts.ObjectBindingPattern;
  readonly elements: ts.NodeArray<CarrierElement>;
  readonly literal: ts.StringLiteralLike;
  readonly specifier: string;
  /** The statement list the carrier sits in: names it declares are visible there. */
  readonly scope: ts.Node;
  /** `import type { … }` / `export type { … }`. */
  readonly typeOnly: boolean;
  /** `const`, `let` or `var` for destructuring carriers; '' otherwise. */
  readonly keyword: string;
  /** `import D, { … } from 'm'`: the default import stays where it is. */
  readonly hasDefaultImport: boolean;
}

/** What one element takes from the module and binds. */
export interface ElementParts {
  /** The exported name taken from the module; `undefined` when computed. */
  readonly imported: string | undefined;
  /** The local binding (imports and destructuring); `undefined` for re-exports and patterns. */
  readonly local: ts.Identifier | undefined;
  /** The name a re-export exports under. */
  readonly exported: string | undefined;
  /** A destructuring default (`{ A = fallback }`), as written. */
  readonly initializer: string | undefined;
  readonly typeOnly: boolean;
}

/** A name to place in a carrier's list. */
export interface ListItem {
  /** The name taken from the module. */
  readonly name: string;
  /** Local name (imports, destructuring) or exported name (re-exports) when it differs. */
  readonly alias: string | undefined;
  readonly typeOnly: boolean;
  readonly initializer: string | undefined;
}

/** The carrier a module reference is, if it is one. */
export function carrierOf(reference: ModuleReference): Carrier | undefined {
  const literal = specifierLiteralOf(reference);
  const base = { literal, specifier: reference.specifier };
  switch (reference.kind) {
    case 'import': {
      const clause = reference.node.importClause;
      const bindings = clause?.namedBindings;
      if (clause === undefined || bindings === undefined || !ts.isNamedImports(bindings))
        return undefined;
      if (clause.phaseModifier === ts.SyntaxKind.DeferKeyword) return undefined;
      return {
        ...base,
        form: 'import',
        statement: reference.node,
        list: bindings,
        elements: bindings.elements,
        scope: reference.node.parent,
        typeOnly: clause.phaseModifier === ts.SyntaxKind.TypeKeyword,
        keyword: '',
        hasDefaultImport: clause.name !== undefined,
      };
    }
    case 'export': {
      const clause = reference.node.exportClause;
      if (clause === undefined || !ts.isNamedExports(clause)) return undefined;
      return {
        ...base,
        form: 'export',
        statement: reference.node,
        list: clause,
        elements: clause.elements,
        scope: reference.node.parent,
        typeOnly: reference.node.isTypeOnly,
        keyword: '',
        hasDefaultImport: false,
      };
    }
    case 'require':
    case 'dynamic-import':
      return destructuringCarrierOf(reference.node, reference.kind, base);
    default:
      return undefined;
  }
}

function destructuringCarrierOf(
  call: ts.CallExpression,
  kind: 'require' | 'dynamic-import',
  base: { literal: ts.StringLiteralLike; specifier: string },
): Carrier | undefined {
  let initializer: ts.Node = call;
  let awaited = false;
  for (;;) {
    const parent: ts.Node = initializer.parent;
    if (ts.isParenthesizedExpression(parent)) initializer = parent;
    else if (ts.isAwaitExpression(parent) && !awaited) {
      awaited = true;
      initializer = parent;
    } else break;
  }
  if (kind === 'dynamic-import' ? !awaited : awaited) return undefined;
  const declaration = initializer.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== initializer)
    return undefined;
  const pattern = declaration.name;
  if (!ts.isObjectBindingPattern(pattern)) return undefined;
  if (pattern.elements.some((element) => element.dotDotDotToken !== undefined)) return undefined;
  const declarationList = declaration.parent;
  if (!ts.isVariableDeclarationList(declarationList) || declarationList.declarations.length !== 1) {
    return undefined;
  }
  const statement = declarationList.parent;
  if (!ts.isVariableStatement(statement)) return undefined;
  const keyword = keywordOf(declarationList);
  if (keyword === undefined) return undefined;
  return {
    ...base,
    form: kind === 'require' ? 'require' : 'await-import',
    statement,
    list: pattern,
    elements: pattern.elements,
    scope: statement.parent,
    typeOnly: false,
    keyword,
    hasDefaultImport: false,
  };
}

/** `const`, `let` or `var`; `undefined` for `using` declarations, which are not carriers. */
function keywordOf(list: ts.VariableDeclarationList): string | undefined {
  // `await using` is `Using | Const`: test `Using` first.
  if ((list.flags & ts.NodeFlags.Using) !== 0) return undefined;
  if ((list.flags & ts.NodeFlags.Const) !== 0) return 'const';
  if ((list.flags & ts.NodeFlags.Let) !== 0) return 'let';
  return 'var';
}

/** What an element takes and binds. */
export function partsOf(element: CarrierElement, sourceText: string): ElementParts {
  if (ts.isImportSpecifier(element)) {
    return {
      imported: (element.propertyName ?? element.name).text,
      local: element.name,
      exported: undefined,
      initializer: undefined,
      typeOnly: element.isTypeOnly,
    };
  }
  if (ts.isExportSpecifier(element)) {
    return {
      imported: (element.propertyName ?? element.name).text,
      local: undefined,
      exported: element.name.text,
      initializer: undefined,
      typeOnly: element.isTypeOnly,
    };
  }
  const property = element.propertyName ?? element.name;
  const imported =
    ts.isIdentifier(property) || ts.isStringLiteral(property) ? property.text : undefined;
  return {
    imported,
    local: ts.isIdentifier(element.name) ? element.name : undefined,
    exported: undefined,
    initializer:
      element.initializer === undefined
        ? undefined
        : sourceText.slice(element.initializer.getStart(), element.initializer.end),
    typeOnly: false,
  };
}

/** An item's text in a carrier of `form`. */
export function renderItem(form: CarrierForm, item: ListItem, carrierTypeOnly: boolean): string {
  const alias = item.alias !== undefined && item.alias !== item.name ? item.alias : undefined;
  if (form === 'import' || form === 'export') {
    const type = item.typeOnly && !carrierTypeOnly ? 'type ' : '';
    return `${type}${item.name}${alias === undefined ? '' : ` as ${alias}`}`;
  }
  const binding = alias === undefined ? item.name : `${item.name}: ${alias}`;
  return item.initializer === undefined ? binding : `${binding} = ${item.initializer}`;
}

/** A whole new carrier statement taking `texts` from `module`. */
export function renderCarrier(
  template: Carrier,
  module: string,
  typeOnly: boolean,
  texts: readonly string[],
  sourceText: string,
): string {
  const quote = sourceText.charAt(template.literal.getStart());
  const specifier = `${quote}${module}${quote}`;
  const semicolon = sourceText
    .slice(template.statement.getStart(), template.statement.end)
    .trimEnd()
    .endsWith(';')
    ? ';'
    : '';
  const list = `{ ${texts.join(', ')} }`;
  switch (template.form) {
    case 'import':
      return `import ${typeOnly ? 'type ' : ''}${list} from ${specifier}${semicolon}`;
    case 'export':
      return `export ${typeOnly ? 'type ' : ''}${list} from ${specifier}${semicolon}`;
    case 'require':
      return `${template.keyword} ${list} = require(${specifier})${semicolon}`;
    case 'await-import':
      return `${template.keyword} ${list} = await import(${specifier})${semicolon}`;
  }
}

/** Rewrites a carrier's whole `{ … }` list, keeping its one-line or one-per-line layout. */
export function replaceListEdit(
  carrier: Carrier,
  texts: readonly string[],
  sourceText: string,
): TextEdit {
  const list = carrier.list;
  const start = list.getStart();
  const original = sourceText.slice(start, list.end);
  const first = carrier.elements[0];
  if (original.includes('\n') && first !== undefined) {
    const lineBreak = original.includes('\r\n') ? '\r\n' : '\n';
    const indent = indentationAt(sourceText, first.getStart());
    const closingIndent = indentationAt(sourceText, list.end - 1);
    const trailing = carrier.elements.hasTrailingComma ? ',' : '';
    const body = texts.map((text) => `${indent}${text}`).join(`,${lineBreak}`);
    return {
      start,
      end: list.end,
      text: `{${lineBreak}${body}${trailing}${lineBreak}${closingIndent}}`,
    };
  }
  const padding = original.startsWith('{ ') || texts.length === 0 ? ' ' : '';
  const inner = texts.length === 0 ? '' : `${padding}${texts.join(', ')}${padding}`;
  return { start, end: list.end, text: `{${inner}}` };
}

/** Adds `texts` after a carrier's last element, in its layout (a trailing comma stays last). */
export function appendToListEdit(
  carrier: Carrier,
  texts: readonly string[],
  sourceText: string,
): TextEdit {
  const last = carrier.elements.at(-1);
  if (last === undefined) return replaceListEdit(carrier, texts, sourceText);
  const listText = sourceText.slice(carrier.list.getStart(), carrier.list.end);
  if (listText.includes('\n')) {
    const lineBreak = listText.includes('\r\n') ? '\r\n' : '\n';
    const indent = indentationAt(sourceText, last.getStart());
    return {
      start: last.end,
      end: last.end,
      text: texts.map((text) => `,${lineBreak}${indent}${text}`).join(''),
    };
  }
  return { start: last.end, end: last.end, text: texts.map((text) => `, ${text}`).join('') };
}

/**
 * The edit leaving only `kept` of a carrier's elements, or `undefined` when all are kept. With
 * none kept, `import D, { … } from 'm'` becomes `import D from 'm'`.
 */
export function keepOnlyEdit(
  carrier: Carrier,
  kept: readonly CarrierElement[],
  sourceText: string,
): TextEdit | undefined {
  if (kept.length === carrier.elements.length) return undefined;
  if (kept.length === 0) {
    const clause = ts.isImportDeclaration(carrier.statement)
      ? carrier.statement.importClause
      : undefined;
    const start = clause?.name?.end ?? carrier.list.getStart();
    return { start, end: carrier.list.end, text: '' };
  }
  const texts = kept.map((element) => sourceText.slice(element.getStart(), element.end));
  return replaceListEdit(carrier, texts, sourceText);
}
