import fs from 'node:fs';
import { complianceScore } from './compliance-score.js';
import { DirectoryNotFoundError } from './errors.js';
import type { FileReport } from './finding.js';
import { listSourceFiles } from './file-walker.js';
import { scanSource } from './scanner.js';
import { YIELD_EVERY, yieldToEventLoop } from './event-loop-turn.js';

/** Options of {@link scan}. */
export interface ScanOptions {
  /** Called after each file with the number of files done and the total. Default: none. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What {@link scan} found. */
export interface ScanResult {
  /** Compliance percentage, 0–100, unrounded (see `complianceScore`). */
  readonly score: number;
  /** Files with findings, sorted by path; compliant files are not listed. */
  readonly files: FileReport[];
  /** Source files read (after `.gitignore`, `node_modules`, build output). */
  readonly scannedFiles: number;
  /** Files importing/requiring an `@app/ws-*` package or having a finding. */
  readonly touchingFiles: number;
  /** Of those, files without findings. */
  readonly compliantFiles: number;
}

/** Throws {@link DirectoryNotFoundError} unless `dir` is a directory. */
export function assertDirectory(dir: string): void {
  const stats = fs.statSync(dir, { throwIfNoEntry: false });
  if (stats?.isDirectory() !== true) throw new DirectoryNotFoundError(dir);
}

/**
 * Scans every JS/TS source file under `dir` for legacy WebSocket usage and scores compliance.
 * Reads code, runs none. Files with syntax errors are scanned as far as the parser recovers.
 * @throws {DirectoryNotFoundError} when `dir` is not a directory
 */
export async function scan(dir: string, options: ScanOptions = {}): Promise<ScanResult> {
  assertDirectory(dir);
  const entries = listSourceFiles(dir);
  const files: FileReport[] = [];
  let touchingFiles = 0;
  let done = 0;
  for (const entry of entries) {
    // Synchronous reads (a thread-pool round trip per file costs more than the read), with
    // the event loop given a turn every few hundred files.
    const result = scanSource(entry.relativePath, fs.readFileSync(entry.absolutePath, 'utf8'));
    if (result.touchesWs) touchingFiles += 1;
    if (result.findings.length > 0)
      files.push({ path: entry.relativePath, findings: result.findings });
    done += 1;
    options.onProgress?.(done, entries.length);
    if (done % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  const compliantFiles = touchingFiles - files.length;
  return {
    score: complianceScore({ touching: touchingFiles, compliant: compliantFiles }),
    files,
    scannedFiles: entries.length,
    touchingFiles,
    compliantFiles,
  };
}
