import { formatComplianceLine } from './compliance-score.js';
import type { FileReport } from './finding.js';
import type { FixResult } from './fix.js';
import type { ScanResult } from './scan.js';

/** One line per finding: `path:line kind detail`. */
function formatFindings(files: readonly FileReport[]): string[] {
  return files.flatMap((file) =>
    file.findings.map(
      (finding) => `${file.path}:${finding.line} ${finding.kind} ${finding.detail}`,
    ),
  );
}

/** The human scan report: the findings, then the compliance line. Ends with a newline. */
export function formatScanReport(result: ScanResult): string {
  const lines = formatFindings(result.files);
  lines.push(
    formatComplianceLine(result.score, {
      touching: result.touchingFiles,
      compliant: result.compliantFiles,
    }),
  );
  return `${lines.join('\n')}\n`;
}

/** The JSON the scan's `--json` prints. */
interface ScanJson {
  readonly score: number;
  readonly files: readonly {
    readonly path: string;
    readonly findings: readonly {
      readonly line: number;
      readonly kind: string;
      readonly detail: string;
    }[];
  }[];
}

/**
 * `--json`: `{"score", "files": [{"path", "findings": [{"line", "kind", "detail"}]}]}`, with
 * only the files that have findings, pretty-printed, ending with a newline.
 */
export function formatScanJson(result: ScanResult): string {
  const json: ScanJson = {
    score: result.score,
    files: result.files.map((file) => ({
      path: file.path,
      findings: file.findings.map(({ line, kind, detail }) => ({ line, kind, detail })),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** `path:line: parse error message`, one per line. */
export function formatParseErrors(result: FixResult): string {
  return result.parseErrors.map((error) => `${error.message}\n`).join('');
}

/** The legacy usage `fix` left, under a heading; empty when none is left. */
export function formatRemaining(result: FixResult): string {
  const lines = formatFindings(result.remaining);
  if (lines.length === 0) return '';
  return `Left for manual migration (${plural(lines.length, 'use')}):\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

/** The closing line of `fix`: what was (or, with `dryRun`, would be) rewritten. */
export function formatFixSummary(result: FixResult, dryRun: boolean): string {
  const count = result.changes.length;
  const failed =
    result.parseErrors.length === 0
      ? ''
      : `; ${plural(result.parseErrors.length, 'file')} not parsed, left untouched`;
  if (count === 0) return `Nothing to fix in ${plural(result.scannedFiles, 'file')}${failed}.\n`;
  const verb = dryRun ? 'Would fix' : 'Fixed';
  return `${verb} ${plural(count, 'file')} of ${result.scannedFiles}${failed}.\n`;
}

/** The list of rewritten files, `fixed path` each. */
export function formatFixedFiles(result: FixResult): string {
  return result.changes.map((change) => `fixed ${change.path}\n`).join('');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
