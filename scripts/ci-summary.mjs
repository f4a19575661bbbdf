#!/usr/bin/env node
/**
 * Sums the vitest JSON reports in a folder and the failed CI steps into the closing line
 * `N passed, N failed`, strictly: a test file that failed to load or ran no test, a test that
 * never ran (skipped, pending, todo), a failed test, a failed step, an expected report that is
 * missing or unreadable — each counts as one failure and is named on a `FAILED` line above the
 * closing line. Exits 1 when anything failed or no test passed.
 *
 * Usage: node scripts/ci-summary.mjs <results-dir> [--expect=unit.json,e2e.json] [failed-step …]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Assertion statuses of a vitest JSON report for tests that did not run. */
const NOT_RUN = new Set(['skipped', 'pending', 'todo', 'disabled']);

/**
 * The failures one vitest JSON report holds, each as one line naming it.
 * @param {string} label the report's file name
 * @param {any} report the parsed vitest JSON report
 * @returns {{ passed: number, failures: string[] }}
 */
export function reportFailures(label, report) {
  const failures = [];
  let passed = 0;
  const files = Array.isArray(report?.testResults) ? report.testResults : [];
  for (const file of files) {
    const name = relative(String(file.name ?? '(unnamed file)'));
    const assertions = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    let failedHere = 0;
    for (const test of assertions) {
      const title = `${name} > ${test.fullName ?? test.title ?? '(unnamed test)'}`;
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') {
        failedHere += 1;
        failures.push(`${label}: test failed: ${title}`);
      } else if (NOT_RUN.has(test.status)) {
        failures.push(`${label}: test never ran (${test.status}): ${title}`);
      } else failures.push(`${label}: test with unknown status ${test.status}: ${title}`);
    }
    if (assertions.length === 0) {
      failures.push(`${label}: suite failed, no test ran: ${name}: ${firstLine(file.message)}`);
    } else if (file.status === 'failed' && failedHere === 0) {
      failures.push(`${label}: suite failed: ${name}: ${firstLine(file.message)}`);
    }
  }
  if (files.length === 0) failures.push(`${label}: the report lists no test file`);
  // Errors outside any test (unhandled rejections, a failed global setup) only show as success.
  if (report?.success === false && failures.length === 0) {
    failures.push(`${label}: vitest reported a failure outside the tests (see its output above)`);
  }
  return { passed, failures };
}

function firstLine(message) {
  const text = typeof message === 'string' ? message.trim() : '';
  return text === '' ? '(no message)' : text.split('\n')[0];
}

function relative(file) {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function main(argv) {
  const [dir = '.ci-results', ...rest] = argv;
  const expected = rest
    .filter((arg) => arg.startsWith('--expect='))
    .flatMap((arg) => arg.slice('--expect='.length).split(','))
    .filter(Boolean);
  const failedSteps = rest.filter((arg) => !arg.startsWith('--expect='));
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  let passed = 0;
  const failures = [];
  for (const file of found.sort()) {
    let report;
    try {
      report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (error) {
      failures.push(
        `${file}: unreadable report: ${error instanceof Error ? error.message : error}`,
      );
      continue;
    }
    const result = reportFailures(file, report);
    passed += result.passed;
    failures.push(...result.failures);
    console.log(`${file}: ${result.passed} passed, ${result.failures.length} failed`);
  }
  for (const file of expected) {
    if (!found.includes(file)) failures.push(`${file}: report missing (its step never wrote it)`);
  }
  for (const step of failedSteps) failures.push(`step failed: ${step}`);
  for (const failure of failures) console.log(`FAILED ${failure}`);
  console.log(`${passed} passed, ${failures.length} failed`);
  return failures.length > 0 || passed === 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
