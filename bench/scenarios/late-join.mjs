/**
 * Late join (ours only; docs/protocol.md#8-joining-mid-run): `users` users each have a run in
 * flight that has emitted half of its `deltas` events; then a new connection per user joins
 * mid-run — it connects with `?lastSeq=0&epoch=…` (the run is the fresh stream's first event, so
 * `firstSeq − 1 = 0`) and gets the run so far replayed before `resumed`. Time to full catch-up
 * per join = its `welcome` → its `resumed`; catch-up rate = events replayed / (first welcome →
 * last `resumed`). Server memory per run in flight = heap + external after a full GC, with the
 * runs half emitted, minus before, per run. Then the second half of the runs is emitted live to
 * the users' first connections: the live fan-out rate of the same process. Target: catch-up ≥
 * 1× live.
 */
import { control } from '../lib/processes.mjs';
import { summarize } from '../lib/stats.mjs';
import { fmt } from './fanout-comparison.mjs';
import { perRepRatios, target } from './fanout.mjs';

const METRICS = [
  { key: 'eventsPerSec', label: 'events/s to clients', unit: 'events/s', better: 'higher' },
  { key: 'catchUpP50', label: 'catch-up per join p50', unit: 'ms', better: 'lower' },
  { key: 'catchUpP99', label: 'catch-up per join p99', unit: 'ms', better: 'lower' },
  { key: 'kibPerRun', label: 'server memory per run in flight', unit: 'KiB', better: 'lower' },
];

/** Events per `/bench/emit` call (the control's burst bound). */
const CHUNK = 2000;

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)];
}

/** Emits `count` more events into the kept runs, `CHUNK` at a time, to the `live` group. */
async function emitKept(h, server, users, count) {
  let received = 0;
  let seconds = 0;
  for (let left = count; left > 0; left -= CHUNK) {
    const result = await h.emitAndReceive(
      server,
      { users, eventsPerUser: Math.min(CHUNK, left), keep: 'late-join' },
      { timeoutMs: 120_000, group: 'live' },
    );
    received += result.received;
    seconds += result.deliveredPerSec ? result.received / result.deliveredPerSec : 0;
  }
  return { received, perSec: seconds > 0 ? received / seconds : undefined };
}

export default {
  id: 'late-join',
  title: 'Late join (catch-up of runs in flight)',
  description: (c) =>
    `${c.users} users, each with a run of ${c.deltas} events in flight; after ${c.deltas / 2} of them a new ` +
    `connection per user joins mid-run and gets the run so far replayed (time per join from welcome to ` +
    `resumed, catch-up events/s from the first welcome to the last resumed); compared with the live ` +
    `fan-out of the run's second half to the first connections, in the same process.`,
  configKey: 'lateJoin',
  async run(h, config) {
    const server = await h.server('ours');
    const catchUpRuns = [];
    const liveRuns = [];
    const problems = [];
    const half = Math.floor(config.deltas / 2);
    try {
      for (let rep = 0; rep <= h.reps; rep++) {
        const warmup = rep === 0;
        const users = h.users(warmup ? Math.min(10, config.users) : config.users);
        await h.connect(
          server,
          users.map((userId) => ({ userId })),
          { group: 'live' },
        );
        const positions = (await h.all('positions')).flat();
        const epochOf = new Map(positions.map((p) => [p.userId, p.epoch]));
        const before = await h.memory(server);
        await emitKept(h, server, users, half);
        const during = await h.memory(server);
        const kibPerRun =
          (during.heapUsed + during.external - (before.heapUsed + before.external)) /
          users.length /
          1024;

        const joined = await h.connect(
          server,
          users.map((userId) => ({
            userId,
            query: `?lastSeq=0&epoch=${encodeURIComponent(epochOf.get(userId))}`,
          })),
          { group: 'join' },
        );
        if (joined.failed) problems.push(`rep ${rep}: ${joined.failed} joins failed`);
        const resumed = await h.all('awaitResumed', { timeoutMs: 120_000, group: 'join' }, 130_000);
        const replayed = resumed.reduce((n, r) => n + r.replayed, 0);
        const incomplete = resumed.reduce((n, r) => n + r.incomplete, 0);
        const perJoin = resumed.flatMap((r) => r.catchUpMs);
        const span =
          Math.max(...resumed.map((r) => r.lastResumed)) -
          Math.min(...resumed.map((r) => r.firstWelcome));
        const live = await emitKept(h, server, users, config.deltas - half);
        await control(server.url, '/bench/end', { keep: 'late-join' });
        await h.closeClients();
        if (warmup) continue;
        if (incomplete) problems.push(`rep ${rep}: ${incomplete} catch-ups incomplete`);
        // agent_started and the first half of the run's events, per user.
        if (replayed !== users.length * (half + 1))
          problems.push(`rep ${rep}: replayed ${replayed} of ${users.length * (half + 1)}`);
        const catchUpRate = span > 0 ? replayed / (span / 1000) : undefined;
        catchUpRuns.push({
          eventsPerSec: catchUpRate,
          catchUpP50: quantile(perJoin, 50),
          catchUpP99: quantile(perJoin, 99),
          kibPerRun,
        });
        liveRuns.push({ eventsPerSec: live.perSec });
        h.log(
          `  ours rep ${rep}/${h.reps}: catch-up ${fmt(catchUpRate)} events/s (${replayed} events; per join ` +
            `p50 ${fmt(quantile(perJoin, 50))} ms, p99 ${fmt(quantile(perJoin, 99))} ms), ` +
            `${fmt(kibPerRun)} KiB per run in flight, live ${fmt(live.perSec)} events/s`,
        );
      }
    } finally {
      await control(server.url, '/bench/end', { keep: 'late-join' }).catch(() => undefined);
      await h.closeClients().catch(() => undefined);
      await server.stop();
    }
    const pick = (runs, key) => summarize(runs.map((r) => r[key]));
    const rows = [
      {
        variant: 'catch-up',
        label: 'ours: late-join catch-up',
        values: {
          eventsPerSec: pick(catchUpRuns, 'eventsPerSec'),
          catchUpP50: pick(catchUpRuns, 'catchUpP50'),
          catchUpP99: pick(catchUpRuns, 'catchUpP99'),
          kibPerRun: pick(catchUpRuns, 'kibPerRun'),
        },
      },
      {
        variant: 'live',
        label: 'ours: live fan-out',
        values: { eventsPerSec: pick(liveRuns, 'eventsPerSec') },
      },
    ];
    const ratio = rows[0].values.eventsPerSec.median / rows[1].values.eventsPerSec.median;
    return {
      metrics: METRICS,
      rows,
      baseline: 'live',
      problems,
      targets: [
        target('catch-up ≥ 1× live fan-out rate', ratio, (r) => r >= 1, {
          perRep: perRepRatios(rows[0], rows[1], 'eventsPerSec'),
        }),
      ],
    };
  },
};
