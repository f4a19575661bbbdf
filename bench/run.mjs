#!/usr/bin/env node
/**
 * `npm run bench` — every scenario for our stack and its peers in one run, side by side.
 *
 *   npm run bench                      full run (3 repetitions after a warm-up), ~10 min on 2 cores
 *   npm run bench -- --quick           smoke run (small counts, 1 repetition), a few minutes
 *   options: --only=fanout,resume  --reps=N  --workers=N  --no-build  --docs (paste the tables
 *            into docs/benchmarks.md between its markers)  --out=DIR  --watchdog=SECONDS
 *
 * With --only, the scenarios that did not run keep their results from <out>/latest.json (each
 * scenario records when it ran and the load average around it), so latest.md and the docs
 * always show every scenario's latest measurement.
 *
 * Writes <out>/latest.json, <out>/latest.md and <out>/<scenario>.svg (out: bench/results, or
 * bench/results/quick with --quick, so a smoke run never overwrites the committed figures).
 * Exits 1 when a scenario crashed or produced no number, 2 when the watchdog fired, 130 on
 * SIGINT. Servers and load generators run in their own processes, all killed at the end.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { renderChart } from './lib/charts.mjs';
import { ensureBuilt } from './lib/ensure-built.mjs';
import { Harness } from './lib/harness.mjs';
import { describeMachine, loadAverage } from './lib/machine.mjs';
import { killAll } from './lib/processes.mjs';
import { formatValue, renderMarkdown, updateDocsSection } from './lib/report.mjs';
import connectRate from './scenarios/connect-rate.mjs';
import fanout from './scenarios/fanout.mjs';
import idleMemory from './scenarios/idle-memory.mjs';
import lateJoin from './scenarios/late-join.mjs';
import logging from './scenarios/logging.mjs';
import multiNode from './scenarios/multi-node.mjs';
import resume from './scenarios/resume.mjs';
import ticketFlood from './scenarios/ticket-flood.mjs';
import tokenStream from './scenarios/token-stream.mjs';
import wholeRun from './scenarios/whole-run.mjs';
import worstMessages from './scenarios/worst-messages.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const SCENARIOS = [
  fanout,
  idleMemory,
  connectRate,
  resume,
  lateJoin,
  multiNode,
  logging,
  worstMessages,
  ticketFlood,
  wholeRun,
  tokenStream,
];

/** Counts per mode. Quick: the brief's smoke sizes (100 clients, 1,000 idle connections). */
const CONFIG = {
  full: {
    reps: 3,
    watchdogMs: 60 * 60_000,
    fanout: { users: 100, perUser: 10, burstEvents: 100, latencyMs: 2000, warmupEvents: 50 },
    idle: { users: 1000, perUser: 10, settleMs: 1000, reps: 2 },
    connect: { count: 2000, concurrency: 32 },
    resume: { users: 100, events: 1000 },
    lateJoin: { users: 100, deltas: 5000 },
    worstMessages: { floodMs: 10_000, baselineMs: 3000, pingIntervalMs: 100, chatIntervalMs: 50 },
    tickets: { requests: 10_000, concurrency: 16, settleMs: 2000, afterMs: 60_000, reps: 1 },
    wholeRun: {
      users: 200,
      rates: [100, 250, 500, 1000, 2000, 4000],
      targetRate: 1000,
      offerMs: 4000,
      drainMs: 4000,
      maxInFlight: 3,
    },
    tokenStream: {
      text: 'stream 2000 at 50',
      ratePerStream: 50,
      startN: 10,
      growth: 1.5,
      maxN: 1500,
      staggerMs: 1000,
      warmMs: 1000,
      windowMs: 4000,
      p99BoundMs: 50,
      bisect: true,
      retryFailed: true,
    },
  },
  quick: {
    reps: 1,
    watchdogMs: 10 * 60_000,
    fanout: { users: 10, perUser: 10, burstEvents: 100, latencyMs: 800, warmupEvents: 30 },
    idle: { users: 100, perUser: 10, settleMs: 300 },
    connect: { count: 300, concurrency: 16 },
    resume: { users: 10, events: 1000 },
    lateJoin: { users: 10, deltas: 2000 },
    worstMessages: { floodMs: 3000, baselineMs: 1000, pingIntervalMs: 100, chatIntervalMs: 50 },
    tickets: { requests: 1000, concurrency: 16, settleMs: 500, afterMs: 5000, reps: 1 },
    wholeRun: {
      users: 20,
      rates: [50, 200],
      targetRate: 200,
      offerMs: 1500,
      drainMs: 2000,
      maxInFlight: 3,
    },
    tokenStream: {
      text: 'stream 2000 at 50',
      ratePerStream: 50,
      startN: 10,
      growth: 2,
      maxN: 40,
      staggerMs: 500,
      warmMs: 500,
      windowMs: 1500,
      p99BoundMs: 50,
      bisect: false,
      retryFailed: false,
    },
  },
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    workers: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
    out: { type: 'string' },
    watchdog: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (args.help) {
  process.stdout.write(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('*/')[0]
      .replace(/^#!.*\n\/\*\*\n/, '')
      .replace(/^ \* ?/gm, '') + '\n',
  );
  process.exit(0);
}

const mode = args.quick ? 'quick' : 'full';
const config = CONFIG[mode];
const watchdogMs = args.watchdog ? Number(args.watchdog) * 1000 : config.watchdogMs;
const reps = args.reps ? Math.max(1, Number(args.reps)) : config.reps;
const workers = args.workers
  ? Math.max(1, Number(args.workers))
  : Math.max(2, Math.min(4, os.cpus().length));
const outDir = args.out ?? join(BENCH_DIR, 'results', mode === 'quick' ? 'quick' : '');
const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : undefined;
if (only) {
  const unknown = [...only].filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) {
    console.error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`,
    );
    process.exit(1);
  }
}

const started = Date.now();
const log = (line) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

const results = {
  meta: {
    startedAt: new Date(started).toISOString(),
    quick: mode === 'quick',
    reps,
    workers,
    machine: describeMachine(),
    config,
    durationSec: 0,
  },
  scenarios: [],
};

function finishAndExit(code) {
  killAll();
  process.exit(code);
}
process.on('SIGINT', () => {
  console.error('\ninterrupted: stopping every bench process');
  finishAndExit(130);
});
process.on('SIGTERM', () => finishAndExit(143));
const watchdog = setTimeout(() => {
  console.error(`watchdog: the run exceeded ${watchdogMs / 1000} s; stopping every bench process`);
  try {
    results.meta.watchdog = true;
    writeOutputs(false);
  } catch {
    // best effort
  }
  finishAndExit(2);
}, watchdogMs);
watchdog.unref();

function hasNumber(scenario) {
  return scenario.rows.some((row) =>
    scenario.metrics.some((m) => Number.isFinite(row.values[m.key]?.median)),
  );
}

async function writeOutputs(withCharts = true) {
  results.meta.durationSec = Math.round((Date.now() - started) / 1000);
  mkdirSync(outDir, { recursive: true });
  if (withCharts) {
    for (const scenario of results.scenarios) {
      if (scenario.status !== 'ok') continue;
      try {
        writeFileSync(join(outDir, `${scenario.id}.svg`), await renderChart(scenario));
        scenario.chart = `${scenario.id}.svg`;
      } catch (error) {
        scenario.problems.push(`chart not rendered: ${error.message}`);
      }
    }
  }
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(outDir, 'latest.md'), renderMarkdown(results));
}

/**
 * With --only: the scenarios that did not run keep their entry from the previous latest.json of
 * the same output directory (in SCENARIOS order), marked with when they ran.
 */
function keepEarlierScenarios() {
  let previous;
  try {
    previous = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8'));
  } catch {
    return;
  }
  const fresh = new Map(results.scenarios.map((s) => [s.id, s]));
  const earlier = new Map((previous.scenarios ?? []).map((s) => [s.id, s]));
  const merged = [];
  for (const { id } of SCENARIOS) {
    if (fresh.has(id)) merged.push(fresh.get(id));
    else if (earlier.has(id)) {
      const kept = earlier.get(id);
      merged.push({
        ...kept,
        ranAt: kept.ranAt ?? previous.meta?.startedAt,
        loadAverage: kept.loadAverage ?? previous.meta?.machine?.loadAverageAtStart,
        reps: kept.reps ?? previous.meta?.reps,
        kept: true,
      });
    }
  }
  results.scenarios = merged;
}

function updateDocs() {
  updateDocsSection(join(BENCH_DIR, '..', 'docs', 'benchmarks.md'), results);
}

function summaryLines() {
  const lines = [];
  for (const scenario of results.scenarios) {
    if (scenario.status !== 'ok') {
      lines.push(
        `  ${scenario.title}: ${scenario.status}${scenario.reason ? ` — ${scenario.reason}` : ''}`,
      );
      continue;
    }
    const metric = scenario.metrics[0];
    const parts = scenario.rows.map(
      (row) => `${row.label} ${formatValue(row.values[metric.key]?.median, metric.unit)}`,
    );
    lines.push(
      `  ${scenario.title} — ${metric.label}${metric.unit ? ` (${metric.unit})` : ''}: ${parts.join(', ')}`,
    );
    for (const t of scenario.targets ?? [])
      lines.push(
        `      ${t.met === true ? 'MET   ' : t.met === false ? 'MISSED' : 'n/a   '} ${t.text}: ${t.shown}`,
      );
  }
  return lines;
}

let harness;
let failed = false;
try {
  const m = results.meta.machine;
  log(
    `bench ${mode}: ${reps} repetition(s), ${workers} load processes; ${m.cpuModel}, ${m.cores} cores, Node ${m.node}, ulimit -n ${m.fdLimit}`,
  );
  const build = await ensureBuilt({ build: !args['no-build'], log, timeoutMs: 5 * 60_000 });
  if (build.warning) results.meta.buildWarning = build.warning;
  harness = new Harness({ quick: mode === 'quick', reps, workers, log });
  await harness.start();
  for (const scenario of SCENARIOS) {
    if (only && !only.has(scenario.id)) continue;
    const scenarioConfig = config[scenario.configKey];
    const entry = {
      id: scenario.id,
      title: scenario.title,
      ranAt: new Date().toISOString(),
      loadAverage: loadAverage(),
      description: scenario.description(scenarioConfig),
      config: scenarioConfig,
      status: 'ok',
      metrics: [],
      rows: [],
      targets: [],
      problems: [],
    };
    results.scenarios.push(entry);
    log(`— ${scenario.title}`);
    const t0 = Date.now();
    try {
      const probe = scenario.probe ? await scenario.probe() : { ok: true };
      if (!probe.ok) {
        entry.status = 'not available';
        entry.reason = probe.reason;
        log(`  not available: ${probe.reason}`);
        continue;
      }
      harness.reps = scenarioConfig.reps ? Math.min(reps, scenarioConfig.reps) : reps;
      entry.reps = harness.reps;
      Object.assign(entry, await scenario.run(harness, scenarioConfig));
      harness.reps = reps;
      if (!hasNumber(entry)) throw new Error('the scenario produced no number');
    } catch (error) {
      failed = true;
      entry.status = 'failed';
      entry.reason = error?.message ?? String(error);
      log(`  FAILED: ${entry.reason}`);
      // A crashed scenario may leave clients open: start the next one clean.
      await harness.closeClients().catch(() => undefined);
    } finally {
      harness.reps = reps;
      entry.durationSec = Math.round((Date.now() - t0) / 1000);
      entry.loadAverageAtEnd = loadAverage();
    }
  }
} catch (error) {
  failed = true;
  results.meta.error = error?.stack ?? String(error);
  console.error(`bench failed: ${error?.message ?? error}`);
} finally {
  await harness?.stop().catch(() => undefined);
  killAll();
}

if (only) keepEarlierScenarios();
await writeOutputs();
if (args.docs) {
  try {
    updateDocs();
    log('docs/benchmarks.md updated');
  } catch (error) {
    console.error(`docs not updated: ${error.message}`);
  }
}
console.log(`\nSummary (medians; ${outDir}/latest.md has the tables):`);
for (const line of summaryLines()) console.log(line);
log(`done${failed ? ' — with failures' : ''}`);
clearTimeout(watchdog);
process.exit(failed ? 1 : 0);
