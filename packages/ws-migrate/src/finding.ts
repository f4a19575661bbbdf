/** What `scan` reports. */

/** The kinds of legacy usage `scan` finds (docs/migration.md#ws-migrate-scan). */
export const FINDING_KINDS = [
  'legacy-import',
  'legacy-require',
  'legacy-dynamic-import',
  'legacy-reexport',
  'direct-instantiation',
  'legacy-wire-path',
] as const;

/** One of {@link FINDING_KINDS}. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One legacy usage in a file. */
export interface Finding {
  /** 1-based line of the construct's first token. */
  readonly line: number;
  readonly kind: FindingKind;
  /** What was found and what replaces it, on one line. */
  readonly detail: string;
}

/** The findings of one file. */
export interface FileReport {
  /** Path relative to the scanned directory, with forward slashes. */
  readonly path: string;
  /** In line order. */
  readonly findings: readonly Finding[];
}
