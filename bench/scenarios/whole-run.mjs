/**
 * Whole runs (issue: "whole runs as fast as the transport"): the built chat server process with
 * its demo agent — history on PGlite (on disk), on PostgreSQL, and off for reference — beside
 * the raw-ws and Socket.IO emulations answering each chat with the same nine frames
 * (servers/run-frames.mjs), in the same run. `users` users, one socket each, in the load
 * processes (never in a server's process); each user chats in one thread (`what is 12*(3+4)?`,
 * the calculator path: ack, user_message, agent_started, 2 thinking, tool_executing,
 * tool_completed, a delta, agent_completed). Chats are offered at fixed rates (round-robin over
 * the users, at most `maxInFlight` runs per user as the server's default WS_MAX_RUNS_PER_USER
 * allows: a chat due while a user has that many is skipped and counts as not delivered), each
 * rate for `offerMs`, then the runs sent are awaited (≤ `drainMs`). Per rate: delivered runs/s
 * (completed / first chat → last agent_completed), p50/p99 chat sent → agent_completed, and the
 * server's CPU per run (user + system time of its process from /proc, all threads, over the
 * step / runs completed). The rates rise through `rates`; past `targetRate` they go on only
 * while the stack still delivers ≥ 0.9 of the offered rate. Saturation = the most delivered at
 * any rate. Variants are measured in turn, the order rotating per repetition.
 */
import { merge, percentile, unpack, createHistogram } from '../lib/histogram.mjs';
import {
  CHAT_VARIANTS,
  addCounts,
  connectChatClients,
  describeCounts,
  startChatStack,
} from '../lib/chat-stacks.mjs';
import { summarize } from '../lib/stats.mjs';
import { fmt } from './fanout-comparison.mjs';
import { target } from './fanout.mjs';

const TEXT = 'what is 12*(3+4)?';
const ORDER = ['pglite', 'postgres', 'off', 'ws', 'socketio'];

const METRICS = [
  {
    key: 'deliveredAtTarget',
    label: 'delivered at the target rate',
    unit: 'runs/s',
    better: 'higher',
  },
  {
    key: 'p50AtTarget',
    label: 'p50 chat → agent_completed at the target rate',
    unit: 'ms',
    better: 'lower',
  },
  {
    key: 'p99AtTarget',
    label: 'p99 chat → agent_completed at the target rate',
    unit: 'ms',
    better: 'lower',
  },
  {
    key: 'cpuMsPerRun',
    label: 'server CPU per run at the target rate',
    unit: 'ms',
    better: 'lower',
  },
  { key: 'saturation', label: 'saturation (most delivered)', unit: 'runs/s', better: 'higher' },
];

/** One rate step of one variant: the load processes offer `rate` runs/s together. */
async function offer(h, stack, group, rate, config) {
  const cpuBefore = stack.cpuSeconds();
  const replies = await h.all(
    'chatOffer',
    {
      group,
      rate: rate / h.workers.length,
      durationMs: config.offerMs,
      text: TEXT,
      maxInFlight: config.maxInFlight,
      drainMs: config.drainMs,
    },
    config.offerMs + config.drainMs + 60_000,
  );
  const cpu = stack.cpuSeconds() - cpuBefore;
  const histogram = createHistogram();
  const errors = {};
  let completed = 0;
  let offered = 0;
  let skipped = 0;
  let unfinished = 0;
  for (const reply of replies) {
    merge(histogram, unpack(reply.histogram));
    addCounts(errors, reply.errors);
    completed += reply.completed;
    offered += reply.offered;
    skipped += reply.skipped;
    unfinished += reply.unfinished;
  }
  const start = Math.min(...replies.map((r) => r.startedAt));
  const last = Math.max(...replies.map((r) => r.lastCompletion));
  const seconds = Math.max(config.offerMs, last - start) / 1000;
  // Runs sent and none ended within the step: their latency is at least the step's length.
  const none = completed === 0 && offered > skipped;
  return {
    rate,
    offeredPerSec: offered / (config.offerMs / 1000),
    delivered: completed / seconds,
    p50: none ? config.offerMs + config.drainMs : percentile(histogram, 50),
    p99: none ? config.offerMs + config.drainMs : percentile(histogram, 99),
    noneCompleted: none,
    cpuMsPerRun: completed > 0 ? (cpu * 1000) / completed : undefined,
    completed,
    skipped,
    unfinished,
    errors,
  };
}

/** The rate ladder of one variant in one repetition. */
async function ladder(h, stack, group, config) {
  const steps = [];
  for (const rate of config.rates) {
    if (rate > config.targetRate) {
      const prev = steps.at(-1);
      if (prev && prev.delivered < 0.9 * prev.rate) break;
    }
    const step = await offer(h, stack, group, rate, config);
    steps.push(step);
    h.log(
      `    ${stack.label} at ${rate} runs/s: delivered ${fmt(step.delivered)} runs/s, p50 ${fmt(step.p50)} ms, ` +
        `p99 ${fmt(step.p99)} ms, CPU ${fmt(step.cpuMsPerRun)} ms/run; skipped ${step.skipped}, ` +
        `unfinished ${step.unfinished}, errors: ${describeCounts(step.errors)}`,
    );
  }
  return steps;
}

function stepLine(steps) {
  return steps
    .map(
      (s) =>
        `${s.rate} → ${fmt(s.delivered)} (p99 ${fmt(s.p99)} ms${s.skipped ? `, ${s.skipped} skipped` : ''})`,
    )
    .join('; ');
}

export default {
  id: 'whole-run',
  title: 'Whole runs (chat → agent_completed)',
  description: (c) =>
    `The built chat server (demo agent, NODE_ENV=production) with history on PGlite (on disk), on PostgreSQL ` +
    `and off (HISTORY=off), beside raw-ws and Socket.IO emulations answering each chat with the same nine ` +
    `frames; ${c.users} users, one socket each, in the load processes; "${TEXT}" offered at ` +
    `${c.rates.join(', ')} runs/s (${c.offerMs / 1000} s each, at most ${c.maxInFlight} runs in flight per user; ` +
    `above ${c.targetRate} only while ≥ 0.9 of the offered rate is delivered). Delivered runs/s = completed / ` +
    `(first chat → last agent_completed); latency = chat sent → agent_completed received; server CPU per run ` +
    `from /proc (all threads). Saturation = the most delivered at any rate.`,
  configKey: 'wholeRun',
  async run(h, config) {
    const problems = [];
    const notes = [];
    const stacks = [];
    const runs = Object.fromEntries(ORDER.map((key) => [key, []]));
    try {
      for (const key of ORDER) {
        let stack;
        try {
          stack = await startChatStack(h, key);
        } catch (error) {
          problems.push(
            `${CHAT_VARIANTS[key].label}: not available — ${String(error?.message ?? error).split('\n')[0]}`,
          );
          h.log(
            `  ${CHAT_VARIANTS[key].label}: not available (${String(error?.message ?? error).split('\n')[0]})`,
          );
          continue;
        }
        stacks.push(stack);
        const connected = await connectChatClients(h, stack, h.users(config.users), key);
        if (connected.failed > 0)
          problems.push(
            `${stack.label}: ${connected.failed} of ${config.users} connections failed: ${describeCounts(connected.errors)}`,
          );
        if (connected.connected === 0) throw new Error(`${stack.label}: no client connected`);
        const primed = await h.all('chatPrime', { group: key, text: TEXT }, 90_000);
        const primeErrors = {};
        for (const reply of primed) addCounts(primeErrors, reply.errors);
        if (primed.some((p) => !p.complete) || Object.keys(primeErrors).length)
          problems.push(`${stack.label}: warm-up chat incomplete (${describeCounts(primeErrors)})`);
        // Warm-up: a short step at the lowest rate, not counted.
        await offer(h, stack, key, config.rates[0], {
          ...config,
          offerMs: Math.min(2000, config.offerMs),
        });
        notes.push(
          `${stack.label}: ${connected.connected} users connected; history: ${stack.location}`,
        );
        h.log(
          `  ${stack.label}: ${connected.connected} users connected and warmed up (${stack.location})`,
        );
      }
      for (let rep = 1; rep <= h.reps; rep++) {
        const order = stacks.map((_, i) => stacks[(i + rep - 1) % stacks.length]);
        h.log(`  rep ${rep}/${h.reps}: ${order.map((s) => s.key).join(', ')}`);
        for (const stack of order) {
          const steps = await ladder(h, stack, stack.key, config);
          const atTarget = steps.find((s) => s.rate === config.targetRate) ?? steps.at(-1);
          runs[stack.key].push({
            deliveredAtTarget: atTarget?.delivered,
            p50AtTarget: atTarget?.p50,
            p99AtTarget: atTarget?.p99,
            cpuMsPerRun: atTarget?.cpuMsPerRun,
            saturation: Math.max(...steps.map((s) => s.delivered)),
            steps,
          });
        }
      }
    } finally {
      await h.all('chatClose', {}, 30_000).catch(() => undefined);
      await Promise.all(stacks.map((stack) => stack.stop().catch(() => undefined)));
    }
    const rows = [];
    for (const key of ORDER) {
      if (runs[key].length === 0) continue;
      const values = {};
      for (const { key: metric } of METRICS)
        values[metric] = summarize(runs[key].map((r) => r[metric]));
      const errors = {};
      for (const r of runs[key]) for (const s of r.steps) addCounts(errors, s.errors);
      rows.push({
        variant: key,
        label: CHAT_VARIANTS[key].label,
        values,
        notes: [
          ...runs[key].map(
            (r, i) => `rep ${i + 1}, offered → delivered runs/s: ${stepLine(r.steps)}`,
          ),
          ...(Object.keys(errors).length
            ? [`errors over all steps: ${describeCounts(errors)}`]
            : []),
          ...(runs[key].some((r) => r.steps.some((s) => s.noneCompleted))
            ? [
                `at some rates no run sent ended within the step (${(config.offerMs + config.drainMs) / 1000} s): ` +
                  `their latency is shown as the step's length, a lower bound`,
              ]
            : []),
        ],
        ladders: runs[key].map((r) => r.steps),
      });
    }
    const byKey = Object.fromEntries(rows.map((row) => [row.variant, row]));
    const targets = [];
    const ratio = (v) => `${v.toFixed(2)}× offered`;
    const ms = (v) => `${v.toFixed(1)} ms`;
    for (const key of ['pglite', 'postgres']) {
      const row = byKey[key];
      const label = key === 'pglite' ? 'PGlite' : 'PostgreSQL';
      const delivered = (row?.values.deliveredAtTarget.runs ?? []).map(
        (v) => v / config.targetRate,
      );
      targets.push(
        target(
          `whole runs at ${config.targetRate.toLocaleString('en')} runs/s, history on ${label}: delivered ≥ 0.95 of offered`,
          row ? row.values.deliveredAtTarget.median / config.targetRate : undefined,
          (v) => v >= 0.95,
          { perRep: delivered, format: ratio },
        ),
        target(
          `whole runs at ${config.targetRate.toLocaleString('en')} runs/s, history on ${label}: p99 ≤ 100 ms`,
          row?.values.p99AtTarget.median,
          (v) => v <= 100,
          { perRep: row?.values.p99AtTarget.runs ?? [], format: ms },
        ),
      );
    }
    for (const key of ['pglite', 'postgres']) {
      const row = byKey[key];
      const off = byKey.off;
      const label = key === 'pglite' ? 'PGlite' : 'PostgreSQL';
      const perRep = (row?.values.saturation.runs ?? []).map(
        (v, i) => v / off?.values.saturation.runs[i],
      );
      targets.push(
        target(
          `history on ${label}: saturation ≥ 0.8× history off`,
          row && off ? row.values.saturation.median / off.values.saturation.median : undefined,
          (v) => v >= 0.8,
          { perRep },
        ),
      );
    }
    const top = config.rates.at(-1);
    for (const row of rows) {
      if (
        runs[row.variant].some(
          (r) => r.steps.at(-1)?.rate === top && r.steps.at(-1).delivered >= 0.9 * top,
        )
      )
        notes.push(
          `${row.label}: not saturated at ${top} runs/s, the highest rate offered (its saturation is at least that)`,
        );
    }
    return { metrics: METRICS, rows, baseline: 'ws', targets, problems, notes };
  },
};
