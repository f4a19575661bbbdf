import fs from 'node:fs';
import { ParseError } from './errors.js';
import type { FileReport } from './finding.js';
import { listSourceFiles } from './file-walker.js';
import { rewriteLegacyImports } from './import-rewriter.js';
import { YIELD_EVERY, yieldToEventLoop } from './event-loop-turn.js';
import { assertDirectory } from './scan.js';
import { scanSource } from './scanner.js';
import { unifiedDiff } from './unified-diff.js';

/** Options of {@link fix}. */
export interface FixOptions {
  /** Compute the changes without writing any file. Default: `false`. */
  readonly dryRun?: boolean;
  /** Called after each file with the number of files done and the total. Default: none. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One rewritten file. */
export interface FileChange {
  /** Relative to the fixed directory, with forward slashes. */
  readonly path: string;
  /** Unified diff with `a/path` / `b/path` headers. */
  readonly diff: string;
}

/** What {@link fix} did. */
export interface FixResult {
  /** Files rewritten (or, with `dryRun`, that would be), sorted by path. */
  readonly changes: FileChange[];
  /**
   * Legacy usage left after the rewrite, per file: names without a canonical replacement,
   * calls whose extra arguments cannot be dropped safely, direct instantiations and wire
   * paths (reported, never rewritten).
   */
  readonly remaining: FileReport[];
  /** Files left untouched because they do not parse. */
  readonly parseErrors: ParseError[];
  /** Source files read. */
  readonly scannedFiles: number;
}

/**
 * Rewrites legacy imports under `dir` to their canonical modules and names. Only files that
 * mention `@app/ws-legacy` are parsed; one with a syntax error is reported in `parseErrors` and
 * left untouched while the others are still fixed. Running it twice changes nothing the second
 * time.
 * @throws {DirectoryNotFoundError} when `dir` is not a directory
 */
export async function fix(dir: string, options: FixOptions = {}): Promise<FixResult> {
  assertDirectory(dir);
  const entries = listSourceFiles(dir);
  const changes: FileChange[] = [];
  const remaining: FileReport[] = [];
  const parseErrors: ParseError[] = [];
  let done = 0;
  for (const entry of entries) {
    const before = fs.readFileSync(entry.absolutePath, 'utf8');
    const outcome = rewriteLegacyImports(entry.relativePath, before);
    if (outcome.kind === 'parse-error') {
      parseErrors.push(new ParseError(entry.relativePath, outcome.line, outcome.message));
    } else {
      if (outcome.output !== before) {
        changes.push({
          path: entry.relativePath,
          diff: unifiedDiff(entry.relativePath, before, outcome.output),
        });
        if (options.dryRun !== true) fs.writeFileSync(entry.absolutePath, outcome.output, 'utf8');
      }
      const { findings } = scanSource(entry.relativePath, outcome.output);
      if (findings.length > 0) remaining.push({ path: entry.relativePath, findings });
    }
    done += 1;
    options.onProgress?.(done, entries.length);
    if (done % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  return { changes, remaining, parseErrors, scannedFiles: entries.length };
}
