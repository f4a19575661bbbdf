#!/usr/bin/env node
/**
 * Sums the vitest JSON reports in a folder and the failed CI steps into the closing line
 * `N passed, N failed`; exits 1 when anything failed or no test ran.
 * Usage: node scripts/ci-summary.mjs <results-dir> [failed-step …]
 */
import fs from 'node:fs';
import path from 'node:path';

const [dir = '.ci-results', ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  if (!file.endsWith('.json')) continue;
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
for (const step of failedSteps) console.log(`step failed: ${step}`);
failed += failedSteps.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
