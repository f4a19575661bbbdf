/** The compliance score: how much of the code that uses the ws packages uses them canonically. */

/** The counts a score is computed from. */
export interface ComplianceCounts {
  /** Files that import/require an `@app/ws-*` package or have any finding. */
  readonly touching: number;
  /** Of those, the files without findings. */
  readonly compliant: number;
}

/**
 * The percentage (0–100, unrounded) of files touching the ws packages that do so only through
 * canonical paths; 100 when no file touches them.
 */
export function complianceScore(counts: ComplianceCounts): number {
  if (counts.touching === 0) return 100;
  return (counts.compliant / counts.touching) * 100;
}

/**
 * The score with one decimal. Rounded, except that a score below 100 never shows as `100.0`
 * (1999 of 2000 files is 99.9, not 100.0).
 */
export function formatScore(score: number): string {
  const shown = score.toFixed(1);
  return shown === '100.0' && score < 100 ? '99.9' : shown;
}

/** The score line as printed, e.g. `Compliance: 75.0% (3 of 4 files)`. */
export function formatComplianceLine(score: number, counts: ComplianceCounts): string {
  return `Compliance: ${formatScore(score)}% (${counts.compliant} of ${counts.touching} files)`;
}
