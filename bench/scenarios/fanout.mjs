/** Scenario 1: fan-out of ~300-byte events to every connection of each user; ours vs raw ws vs Socket.IO. */
import { summarize } from '../lib/stats.mjs';
import { runFanoutComparison } from './fanout-comparison.mjs';

export const FANOUT_METRICS = [
  {
    key: 'deliveredPerSec',
    label: 'delivered events/s',
    unit: 'events/s',
    better: 'higher',
  },
  { key: 'p50Ms', label: 'p50 latency at 50 % load', unit: 'ms', better: 'lower' },
  { key: 'p99Ms', label: 'p99 latency at 50 % load', unit: 'ms', better: 'lower' },
];

export default {
  id: 'fanout',
  title: 'Fan-out',
  description: (c) =>
    `${c.users * c.perUser} clients of ${c.users} users (${c.perUser} per user), ~300-byte JSON events. ` +
    `Throughput: a burst of ${c.burstEvents} events per user as fast as the server goes, delivered events/s = ` +
    `events received by all clients / (last receipt − emission start). Latency: events paced at 50 % of that ` +
    `rate for ${c.latencyMs / 1000} s, receive time − emit time in the payload (same clock).`,
  configKey: 'fanout',
  async run(h, config) {
    const stacks = ['ours', 'ws', 'socketio'];
    const servers = [];
    let result;
    try {
      servers.push(...(await h.servers(stacks.map((stack) => [stack]))));
      const variants = stacks.map((stack, i) => ({
        key: stack,
        label: labelOf(stack),
        servers: [servers[i]],
      }));
      result = await runFanoutComparison(h, variants, config);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    const rows = stacks.map((stack) => row(stack, result.runs[stack]));
    const problems = result.problems;
    const ours = rows[0].values.deliveredPerSec.median;
    const ws = rows[1].values.deliveredPerSec.median;
    const sio = rows[2].values.deliveredPerSec.median;
    return {
      metrics: FANOUT_METRICS,
      rows,
      baseline: 'ws',
      problems,
      targets: [
        target('fan-out ≥ 1.0× raw ws', ours / ws, (r) => r >= 1.0, {
          perRep: perRepRatios(rows[0], rows[1], 'deliveredPerSec'),
        }),
        target('fan-out ≥ 1.5× Socket.IO', ours / sio, (r) => r >= 1.5, {
          perRep: perRepRatios(rows[0], rows[2], 'deliveredPerSec'),
        }),
      ],
    };
  },
};

export function row(variant, runs, label) {
  const values = {};
  for (const key of Object.keys(runs[0] ?? {})) values[key] = summarize(runs.map((r) => r[key]));
  return { variant, label: label ?? labelOf(variant), values };
}

export function labelOf(variant) {
  return { ours: 'ours', ws: 'raw ws', socketio: 'Socket.IO' }[variant] ?? variant;
}

/**
 * A target judged on the medians, with the same figure per repetition beside it (`perRep`), so
 * a verdict that noise could flip is visible as such.
 */
export function target(
  text,
  value,
  test,
  { perRep = [], format = (v) => `${v.toFixed(2)}×` } = {},
) {
  const known = Number.isFinite(value);
  const reps = perRep.filter((v) => Number.isFinite(v));
  const spread =
    reps.length > 1
      ? ` (repetitions ${format(Math.min(...reps))} to ${format(Math.max(...reps))})`
      : '';
  return {
    text,
    value: known ? value : undefined,
    met: known ? test(value) : undefined,
    shown: known ? format(value) + spread : 'n/a',
    perRep: reps,
    repetitionsMet: reps.length ? reps.filter((v) => test(v)).length : undefined,
  };
}

/** `a[i] / b[i]` of one metric, repetition by repetition. */
export function perRepRatios(rowA, rowB, key) {
  const a = rowA.values[key]?.runs ?? [];
  const b = rowB.values[key]?.runs ?? [];
  return a.map((v, i) => v / b[i]);
}
