import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { sourceExtensionOf } from './source-parser.js';

/** Directories never walked into: dependencies and build output. Dot-directories neither. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  'dist',
  'build',
  'coverage',
]);

/** A source file found under the walked directory. */
export interface SourceFileEntry {
  readonly absolutePath: string;
  /** Relative to the walked directory, with forward slashes. */
  readonly relativePath: string;
}

/** The rules of one `.gitignore`, anchored at the directory holding it. */
interface IgnoreScope {
  /** Relative path of the directory, with a trailing slash ('' for the root). */
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * Lists the JS/TS source files under `root`, sorted by relative path. Skips
 * {@link SKIPPED_DIRECTORIES}, directories whose name starts with a dot, symbolic links, and
 * whatever the `.gitignore` files at `root` and below ignore (a deeper file's rules win, as in
 * git; `.gitignore` files above `root` are not read).
 */
export function listSourceFiles(root: string): SourceFileEntry[] {
  const files: SourceFileEntry[] = [];
  const walk = (relativeDir: string, scopes: readonly IgnoreScope[]): void => {
    const absoluteDir = path.join(root, relativeDir);
    const entries = fs.readdirSync(absoluteDir, { withFileTypes: true });
    const ownRules = readGitignore(absoluteDir);
    const activeScopes =
      ownRules === undefined ? scopes : [...scopes, { base: relativeDir, rules: ownRules }];
    for (const entry of entries) {
      const relativePath = `${relativeDir}${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (isIgnored(`${relativePath}/`, activeScopes)) continue;
        walk(`${relativePath}/`, activeScopes);
      } else if (entry.isFile()) {
        if (sourceExtensionOf(entry.name) === undefined) continue;
        if (isIgnored(relativePath, activeScopes)) continue;
        files.push({ absolutePath: path.join(absoluteDir, entry.name), relativePath });
      }
    }
  };
  walk('', []);
  return files.sort((a, b) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0,
  );
}

function readGitignore(directory: string): Ignore | undefined {
  let content: string;
  try {
    content = fs.readFileSync(path.join(directory, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return ignore().add(content);
}

/** Git's precedence: the last scope whose rules match decides. */
function isIgnored(relativePath: string, scopes: readonly IgnoreScope[]): boolean {
  let ignored = false;
  for (const scope of scopes) {
    const result = scope.rules.test(relativePath.slice(scope.base.length));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
