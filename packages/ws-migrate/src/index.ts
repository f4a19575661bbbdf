/**
 * `@app/ws-migrate`: scan a code base for legacy WebSocket usage, score its compliance, and
 * rewrite legacy imports to the canonical packages. Reads code, runs none.
 */
export { scan, type ScanOptions, type ScanResult } from './scan.js';
export { fix, type FixOptions, type FixResult, type FileChange } from './fix.js';
export { FINDING_KINDS, type Finding, type FindingKind, type FileReport } from './finding.js';
export { complianceScore, type ComplianceCounts } from './compliance-score.js';
export { LEGACY_ENTRY_POINTS, LEGACY_NAMES, type NameReplacement } from './legacy-map.js';
export {
  codes,
  WsMigrateError,
  UsageError,
  DirectoryNotFoundError,
  ParseError,
  type ErrorCode,
} from './errors.js';
