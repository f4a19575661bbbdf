import { ts } from 'ts-morph';

/** File extensions `scan` and `fix` read, each with the TypeScript script kind that parses it. */
const SOURCE_EXTENSIONS: Readonly<Record<string, ts.ScriptKind>> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** The extension of `fileName` when it is one of {@link SOURCE_EXTENSIONS}, else `undefined`. */
export function sourceExtensionOf(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = fileName.slice(dot).toLowerCase();
  return Object.hasOwn(SOURCE_EXTENSIONS, extension) ? extension : undefined;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  const extension = sourceExtensionOf(fileName);
  return extension === undefined
    ? ts.ScriptKind.TS
    : (SOURCE_EXTENSIONS[extension] ?? ts.ScriptKind.TS);
}

/**
 * Parses one file with the TypeScript parser only: no program, no type checker, no parent
 * pointers. The parser recovers from syntax errors, so a broken file still yields a tree.
 */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
}

/** A parsed file with the binder's view of it, for rewriting. */
export interface BoundSource {
  readonly sourceFile: ts.SourceFile;
  /** Resolves identifiers to the declaration they are bound to (aliases stay unresolved). */
  readonly checker: ts.TypeChecker;
}

/** The first syntax error of a file: 1-based line and the parser's message. */
export interface SyntaxErrorInfo {
  readonly line: number;
  readonly message: string;
}

// No lib, no module resolution: the program holds exactly this one file, so creating it costs
// little more than the parse; the checker is only asked which declaration a name is bound to.
const SINGLE_FILE_OPTIONS: ts.CompilerOptions = {
  noLib: true,
  noResolve: true,
  allowJs: true,
  checkJs: false,
  noEmit: true,
  types: [],
};

/**
 * Parses one file into a single-file program, for `fix`. Returns the file's first syntax error
 * (the parser's syntactic diagnostics) instead when it has one.
 */
export function parseForRewrite(fileName: string, text: string): BoundSource | SyntaxErrorInfo {
  // A fixed absolute name: the program must not look at the real file system.
  const virtualName = `/__ws-migrate__/source${sourceExtensionOf(fileName) ?? '.ts'}`;
  const sourceFile = ts.createSourceFile(
    virtualName,
    text,
    ts.ScriptTarget.Latest,
    true,
    scriptKindOf(fileName),
  );
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === virtualName ? sourceFile : undefined),
    getDefaultLibFileName: () => '/__ws-migrate__/lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/__ws-migrate__',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === virtualName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [virtualName],
    options: SINGLE_FILE_OPTIONS,
    host,
  });
  const [first] = program.getSyntacticDiagnostics(sourceFile);
  if (first !== undefined) {
    const position = first.start ?? 0;
    return {
      line: sourceFile.getLineAndCharacterOfPosition(position).line + 1,
      message: ts.flattenDiagnosticMessageText(first.messageText, ' '),
    };
  }
  return { sourceFile, checker: program.getTypeChecker() };
}

/** Whether {@link parseForRewrite} failed. */
export function isSyntaxError(result: BoundSource | SyntaxErrorInfo): result is SyntaxErrorInfo {
  return 'message' in result;
}

/** 1-based line of a node's first token (leading comments and whitespace skipped). */
export function lineOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}
