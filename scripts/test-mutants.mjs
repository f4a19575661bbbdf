#!/usr/bin/env node
/**
 * `npm run test:mutants`: runs chat-server's test suite once as it is (it must pass), then once
 * under each wire-level server mutant of `apps/chat-server/test/mutants/` — injected into every
 * process the suite starts (vitest, its workers, the server processes the multi-node tests
 * spawn) with `NODE_OPTIONS=--require <mutant>` — and reports which test files killed each one.
 *
 * Fails (exit 1) when the suite fails without a mutant, when a mutant survives (the whole suite
 * passes under it), or when the chaos test (`test/chaos.test.ts`) is not among a mutant's
 * killers: the chaos test alone must catch every one of them.
 *
 * Usage: node scripts/test-mutants.mjs [--skip-baseline | --keep-going] [mutant-name…]
 * (`--keep-going`: run the mutants even when the suite fails on its own, not counting the files
 * that failed without a mutant as killers; the exit code stays 1). Build first: the multi-node
 * tests run `apps/chat-server/dist` (the npm script builds). Each run's output is
 * kept in a temporary directory whose path is printed. `CHAOS_SEED` passes through, so every run
 * can use the same drop schedule.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mutantsDir = path.join(root, 'apps', 'chat-server', 'test', 'mutants');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
/** The test file that must kill every mutant. */
const CHAOS_TEST = 'apps/chat-server/test/chaos.test.ts';
/** Shared code of the mutants, not a mutant itself. */
const SUPPORT = new Set(['wire-mutant.cjs']);

const args = process.argv.slice(2);
const skipBaseline = args.includes('--skip-baseline');
const keepGoing = args.includes('--keep-going');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const all = readdirSync(mutantsDir)
  .filter((file) => file.endsWith('.cjs') && !SUPPORT.has(file))
  .map((file) => file.replace(/\.cjs$/, ''))
  .sort();
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`test:mutants: no such mutant: ${unknown.join(', ')} (have: ${all.join(', ')})`);
  process.exit(2);
}
if (!existsSync(vitest)) {
  console.error('test:mutants: vitest is not installed; run `npm ci` first.');
  process.exit(2);
}
const mutants = wanted.length > 0 ? wanted : all;
const logDir = mkdtempSync(path.join(tmpdir(), 'test-mutants-'));
console.log(`test:mutants: logs and JSON reports in ${logDir}`);

/**
 * Runs the chat-server project with `nodeOptions` added to NODE_OPTIONS.
 * @returns {Promise<{ code: number | null; report: any; seconds: number; log: string }>}
 */
function runSuite(name, nodeOptions) {
  const log = path.join(logDir, `${name}.log`);
  const json = path.join(logDir, `${name}.json`);
  const env = { ...process.env };
  if (nodeOptions !== '')
    env.NODE_OPTIONS = [process.env.NODE_OPTIONS, nodeOptions].filter(Boolean).join(' ');
  const started = Date.now();
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    const child = spawn(
      process.execPath,
      [
        vitest,
        'run',
        '--project',
        'chat-server',
        '--reporter=dot',
        '--reporter=json',
        `--outputFile.json=${json}`,
      ],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('close', (code) => {
      out.end();
      let report;
      try {
        report = JSON.parse(readFileSync(json, 'utf8'));
      } catch {
        report = undefined;
      }
      resolve({ code, report, seconds: (Date.now() - started) / 1000, log });
    });
  });
}

/** Failed test files (relative paths) and their failed tests, from a vitest JSON report. */
function failures(report) {
  const files = new Map();
  for (const file of report?.testResults ?? []) {
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    if (file.status !== 'failed' && failed.length === 0) continue;
    files.set(
      path.relative(root, file.name),
      failed.map((t) => t.fullName ?? t.title),
    );
  }
  return files;
}

function counts(report) {
  return (
    `${report?.numPassedTests ?? '?'} passed, ${report?.numFailedTests ?? '?'} failed, ` +
    `${(report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0)} skipped, of ${report?.numTotalTests ?? '?'}`
  );
}

let failed = false;
/** Test files that fail without a mutant: not evidence against any mutant. */
let failingAnyway = new Map();
if (!skipBaseline) {
  console.log('\n=== no mutant: the suite must pass');
  const baseline = await runSuite('no-mutant', '');
  const broken = failures(baseline.report);
  console.log(`    ${counts(baseline.report)} in ${baseline.seconds.toFixed(0)} s`);
  if (baseline.code !== 0 || baseline.report === undefined || broken.size > 0) {
    console.log(`    FAILED without a mutant (exit ${baseline.code}); see ${baseline.log}`);
    for (const [file, tests] of broken) console.log(`      ${file}: ${tests.join(' | ')}`);
    if (!keepGoing) {
      console.log('test:mutants: a suite that fails on its own cannot judge mutants.');
      process.exit(1);
    }
    failed = true;
    failingAnyway = broken;
    console.log('    (--keep-going: these files are not counted as killers below)');
  }
}

const summary = [];
for (const name of mutants) {
  const file = path.join(mutantsDir, `${name}.cjs`);
  console.log(`\n=== mutant ${name}`);
  const run = await runSuite(name, `--require "${file}"`);
  const killers = failures(run.report);
  for (const file of failingAnyway.keys()) killers.delete(file);
  const crashed = run.report === undefined;
  const chaos = killers.get(CHAOS_TEST);
  console.log(
    `    ${counts(run.report)} in ${run.seconds.toFixed(0)} s (exit ${run.code}); log ${run.log}`,
  );
  if (crashed) console.log('    the run produced no report (it crashed): see the log');
  for (const [killer, tests] of killers) {
    console.log(
      `    killed by ${killer}${tests.length > 0 ? `: ${tests.join(' | ')}` : ' (the file failed)'}`,
    );
  }
  let verdict = 'killed';
  if (killers.size === 0 && !crashed && run.code === 0) verdict = 'SURVIVED';
  else if (chaos === undefined) verdict = 'killed, but NOT by the chaos test';
  if (verdict !== 'killed') failed = true;
  console.log(`    => ${verdict}`);
  summary.push(
    `${name}: ${verdict} (${killers.size} test file${killers.size === 1 ? '' : 's'}: ${[...killers.keys()].map((k) => path.basename(k)).join(', ') || 'none'})`,
  );
}

console.log(`\n=== summary\n${summary.map((line) => `    ${line}`).join('\n')}`);
console.log(
  failed
    ? 'test:mutants: FAILED'
    : `test:mutants: all ${mutants.length} mutants killed, each by the chaos test`,
);
process.exit(failed ? 1 : 0);
