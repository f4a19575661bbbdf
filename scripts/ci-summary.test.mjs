import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./ci-summary.mjs', import.meta.url));

let dir;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A vitest JSON report (the shape `--reporter=json` writes) of the given test files. */
function report(files) {
  return {
    numPassedTests: 0,
    numFailedTests: 0,
    success: files.every((f) => f.status === 'passed'),
    testResults: files.map(({ name, status, message = '', tests }) => ({
      name,
      status,
      message,
      assertionResults: tests.map(([fullName, testStatus]) => ({
        fullName,
        title: fullName,
        status: testStatus,
        ancestorTitles: [],
        failureMessages: [],
      })),
    })),
  };
}

/** Runs the summary over `reports` (file name → report) and the given extra arguments. */
function summarize(reports, args = []) {
  dir = mkdtempSync(join(tmpdir(), 'ci-summary-'));
  for (const [file, content] of Object.entries(reports)) {
    writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  const run = spawnSync(process.execPath, [SCRIPT, dir, ...args], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  return { status: run.status, lines, last: lines.at(-1) };
}

const green = {
  name: '/repo/a.test.ts',
  status: 'passed',
  tests: [
    ['adds', 'passed'],
    ['subtracts', 'passed'],
  ],
};

describe('ci-summary', () => {
  it('passes a report whose tests all passed', () => {
    const { status, last } = summarize({ 'unit.json': report([green]) });
    expect(last).toBe('2 passed, 0 failed');
    expect(status).toBe(0);
  });

  it('counts and names a suite that failed to load and tests that never ran', () => {
    const { status, lines, last } = summarize({
      'unit.json': report([
        green,
        {
          name: '/repo/broken.test.ts',
          status: 'failed',
          message: "Cannot find module './gone.js'\n  at somewhere",
          tests: [],
        },
        {
          name: '/repo/pending.test.ts',
          status: 'passed',
          tests: [
            ['runs', 'passed'],
            ['was skipped', 'skipped'],
            ['is pending', 'pending'],
            ['is a todo', 'todo'],
          ],
        },
      ]),
    });
    expect(status).toBe(1);
    expect(last).toBe('3 passed, 4 failed');
    const failures = lines.filter((line) => line.startsWith('FAILED'));
    expect(failures).toEqual([
      expect.stringMatching(
        /suite failed, no test ran: .*broken\.test\.ts: Cannot find module '\.\/gone\.js'$/,
      ),
      expect.stringMatching(/never ran \(skipped\): .*pending\.test\.ts > was skipped$/),
      expect.stringMatching(/never ran \(pending\): .*pending\.test\.ts > is pending$/),
      expect.stringMatching(/never ran \(todo\): .*pending\.test\.ts > is a todo$/),
    ]);
  });

  it('counts a suite whose hook failed although none of its tests did', () => {
    const { status, lines, last } = summarize({
      'e2e.json': report([
        { ...green, name: '/repo/hook.test.ts', status: 'failed', message: 'afterAll failed' },
      ]),
    });
    expect(status).toBe(1);
    expect(lines).toContainEqual(
      expect.stringMatching(/suite failed: .*hook\.test\.ts: afterAll failed/),
    );
    expect(last).toBe('2 passed, 1 failed');
  });

  it('counts failed tests, failed steps and missing or unreadable reports, each named', () => {
    const failing = { ...green, status: 'failed', tests: [['adds', 'failed']] };
    const { status, lines, last } = summarize(
      { 'unit.json': report([failing]), 'bench.json': '{ not json' },
      ['--expect=unit.json,e2e.json', 'lint', 'bench --quick'],
    );
    expect(status).toBe(1);
    expect(lines.filter((line) => line.startsWith('FAILED'))).toEqual([
      expect.stringMatching(/^FAILED bench\.json: unreadable report/),
      expect.stringMatching(/^FAILED unit\.json: test failed: .*a\.test\.ts > adds$/),
      'FAILED e2e.json: report missing (its step never wrote it)',
      'FAILED step failed: lint',
      'FAILED step failed: bench --quick',
    ]);
    expect(last).toBe('0 passed, 5 failed');
  });

  it('fails when no test passed at all', () => {
    const { status, last } = summarize({});
    expect(last).toBe('0 passed, 0 failed');
    expect(status).toBe(1);
  });
});
