/**
 * Scenario 4 (ours only: the peers have no per-user stream to resume): replay of missed events
 * at connect time. Per repetition, `users` fresh users each connect once (to learn their
 * epoch) and disconnect; a run then emits `events` events into each user's stream
 * (agent_started, thinking × (events − 2), agent_completed) while nobody is connected; each
 * user reconnects with `?lastSeq=0&epoch=…` and gets the 1,000 events replayed before
 * `resumed`. Replay rate = events replayed / (first welcome → last `resumed`). Then, on the same
 * connections of the same process, a live burst of the same size: delivered events/s as in the
 * fan-out scenario. Target: replay ≥ 1× live.
 */
import { summarize } from '../lib/stats.mjs';
import { fmt } from './fanout-comparison.mjs';
import { perRepRatios, target } from './fanout.mjs';

const METRICS = [
  { key: 'eventsPerSec', label: 'events/s to clients', unit: 'events/s', better: 'higher' },
];

export default {
  id: 'resume',
  title: 'Resume (replay of missed events)',
  description: (c) =>
    `${c.users} users, one connection each; ${c.events} events emitted per user while disconnected, then a ` +
    `reconnect with ?lastSeq=0&epoch=… replays them (events/s from the first welcome to the last resumed); ` +
    `compared with a live burst of ${c.events} events per user to the same connections of the same process.`,
  configKey: 'resume',
  async run(h, config) {
    const server = await h.server('ours');
    const replayRuns = [];
    const liveRuns = [];
    const problems = [];
    try {
      for (let rep = 0; rep <= h.reps; rep++) {
        const warmup = rep === 0;
        const users = h.users(warmup ? Math.min(10, config.users) : config.users);
        await h.connect(
          server,
          users.map((userId) => ({ userId })),
        );
        const positions = (await h.all('positions')).flat();
        await h.closeClients();
        const epochOf = new Map(positions.map((p) => [p.userId, p.epoch]));
        await h.emitAndReceive(
          server,
          { users, eventsPerUser: config.events - 2 },
          { timeoutMs: 60_000 },
        );
        const specs = users.map((userId) => ({
          userId,
          query: `?lastSeq=0&epoch=${encodeURIComponent(epochOf.get(userId))}`,
        }));
        await h.all('reset', {});
        const connected = await h.connect(server, specs);
        if (connected.failed)
          problems.push(
            `rep ${rep}: ${connected.failed} reconnects failed ${JSON.stringify(connected.errors)}`,
          );
        const resumed = await h.all('awaitResumed', { timeoutMs: 60_000 }, 70_000);
        const replayed = resumed.reduce((n, r) => n + r.replayed, 0);
        const incomplete = resumed.reduce((n, r) => n + r.incomplete, 0);
        const span =
          Math.max(...resumed.map((r) => r.lastResumed)) -
          Math.min(...resumed.map((r) => r.firstWelcome));
        const live = await h.emitAndReceive(
          server,
          { users, eventsPerUser: config.events },
          { timeoutMs: 60_000 },
        );
        await h.closeClients();
        if (warmup) continue;
        if (incomplete) problems.push(`rep ${rep}: ${incomplete} resumes incomplete`);
        if (replayed !== users.length * config.events)
          problems.push(`rep ${rep}: replayed ${replayed} of ${users.length * config.events}`);
        const replayRate = span > 0 ? replayed / (span / 1000) : undefined;
        replayRuns.push({ eventsPerSec: replayRate, replayed });
        liveRuns.push({ eventsPerSec: live.deliveredPerSec, replayed: live.received });
        h.log(
          `  ours rep ${rep}/${h.reps}: replay ${fmt(replayRate)} events/s (${replayed} events), live ${fmt(live.deliveredPerSec)} events/s`,
        );
      }
    } finally {
      await h.closeClients().catch(() => undefined);
      await server.stop();
    }
    const rows = [
      {
        variant: 'replay',
        label: 'ours: resume replay',
        values: { eventsPerSec: summarize(replayRuns.map((r) => r.eventsPerSec)) },
      },
      {
        variant: 'live',
        label: 'ours: live fan-out',
        values: { eventsPerSec: summarize(liveRuns.map((r) => r.eventsPerSec)) },
      },
    ];
    const ratio = rows[0].values.eventsPerSec.median / rows[1].values.eventsPerSec.median;
    return {
      metrics: METRICS,
      rows,
      baseline: 'live',
      problems,
      targets: [
        target('replay ≥ 1× live fan-out rate', ratio, (r) => r >= 1, {
          perRep: perRepRatios(rows[0], rows[1], 'eventsPerSec'),
        }),
      ],
    };
  },
};
