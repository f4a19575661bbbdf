/**
 * Scenario 2: server memory per authenticated idle connection. A fresh server per repetition;
 * a warm-up of a few connections (opened and closed, so code paths and pools are in place);
 * then memory after a full GC (`/bench/memory`, --expose-gc), `connections` opened by
 * `users` × 10 clients spread over the load processes, a pause, memory after a full GC again.
 * Per connection = (after − before) / connections reached.
 */
import { sleep } from '../lib/clock.mjs';
import { summarize } from '../lib/stats.mjs';
import { labelOf, perRepRatios, target } from './fanout.mjs';

const METRICS = [
  { key: 'rssPerConn', label: 'RSS per connection', unit: 'KiB', better: 'lower' },
  { key: 'heapPerConn', label: 'heap used per connection', unit: 'KiB', better: 'lower' },
  { key: 'connections', label: 'connections reached', unit: '', better: 'higher' },
];

export default {
  id: 'idle-memory',
  title: 'Idle memory',
  description: (c) =>
    `${c.users * c.perUser} authenticated idle connections (${c.users} users × ${c.perUser}) per server, a fresh ` +
    `server process per repetition. Server RSS and V8 heap used after a forced full GC (--expose-gc), ` +
    `before and after connecting, divided by the connections reached. Clients spread over the load processes.`,
  configKey: 'idle',
  async run(h, config) {
    const rows = [];
    const problems = [];
    for (const stack of ['ours', 'ws', 'socketio']) {
      const runs = [];
      for (let rep = 1; rep <= h.reps; rep++) {
        const server = await h.server(stack);
        try {
          const warm = h.users(5);
          await h.connect(
            server,
            warm.map((userId) => ({ userId })),
          );
          await h.closeClients();
          await sleep(200);
          const before = await h.memory(server);
          const users = h.users(config.users);
          const specs = [];
          for (let c = 0; c < config.perUser; c++)
            for (const userId of users) specs.push({ userId });
          const result = await h.connect(server, specs, { concurrency: 64, timeoutMs: 60_000 });
          if (result.failed > 0)
            problems.push(
              `${stack} rep ${rep}: ${result.failed} of ${specs.length} connections failed: ${JSON.stringify(result.errors)}`,
            );
          await sleep(config.settleMs);
          const after = await h.memory(server);
          const stats = await h.stats(server);
          const n = stats.connections ?? result.connected;
          runs.push({
            rssPerConn: n > 0 ? (after.rss - before.rss) / n / 1024 : undefined,
            heapPerConn: n > 0 ? (after.heapUsed - before.heapUsed) / n / 1024 : undefined,
            connections: n,
            externalPerConn:
              n > 0
                ? (after.external + after.arrayBuffers - before.external - before.arrayBuffers) /
                  n /
                  1024
                : undefined,
          });
          const last = runs.at(-1);
          h.log(
            `  ${stack} rep ${rep}/${h.reps}: ${n} connections, RSS ${last.rssPerConn?.toFixed(2)} KiB/conn, heap ${last.heapPerConn?.toFixed(2)} KiB/conn`,
          );
        } finally {
          await h.closeClients().catch(() => undefined);
          await server.stop();
        }
      }
      const values = {};
      for (const key of Object.keys(runs[0])) values[key] = summarize(runs.map((r) => r[key]));
      rows.push({ variant: stack, label: labelOf(stack), values });
    }
    const rss = (i) => rows[i].values.rssPerConn.median;
    return {
      metrics: METRICS,
      rows,
      baseline: 'ws',
      problems,
      targets: [
        target('idle memory per connection (RSS) ≤ 1.2× raw ws', rss(0) / rss(1), (r) => r <= 1.2, {
          perRep: perRepRatios(rows[0], rows[1], 'rssPerConn'),
        }),
        target(
          'idle memory per connection (RSS) ≤ 0.7× Socket.IO',
          rss(0) / rss(2),
          (r) => r <= 0.7,
          {
            perRep: perRepRatios(rows[0], rows[2], 'rssPerConn'),
          },
        ),
      ],
    };
  },
};
