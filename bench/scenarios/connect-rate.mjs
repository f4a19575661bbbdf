/**
 * Scenario 3: connection rate with JWT verification. Every connection is a distinct user with
 * its own signed token (signed before the clock starts); the load processes open them with a
 * bounded number of handshakes in flight each; the time runs from the first attempt to the last
 * `welcome` (ours) / first message (peers). The three servers run side by side (idle when not
 * measured); each repetition measures them in turn, in a rotating order, after a warm-up batch.
 */
import { sleep } from '../lib/clock.mjs';
import { summarize } from '../lib/stats.mjs';
import { labelOf } from './fanout.mjs';

const METRICS = [
  { key: 'connectsPerSec', label: 'connections/s until welcome', unit: 'conn/s', better: 'higher' },
];
const STACKS = ['ours', 'ws', 'socketio'];

export default {
  id: 'connect-rate',
  title: 'Connect rate with JWT verification',
  description: (c) =>
    `${c.count} connections per repetition, each a distinct user with its own HS256 JWT (verified by jose on ` +
    `every stack), ${c.concurrency} handshakes in flight per load process; connections/s from the first ` +
    `attempt to the last welcome (ours) / first message (peers). Clients closed between repetitions.`,
  configKey: 'connect',
  async run(h, config) {
    const problems = [];
    const runs = Object.fromEntries(STACKS.map((stack) => [stack, []]));
    const servers = await h.servers(STACKS.map((stack) => [stack]));
    try {
      for (const server of servers) {
        await h.connect(
          server,
          h.users(50).map((userId) => ({ userId })),
          { concurrency: config.concurrency },
        );
        await h.closeClients();
      }
      for (let rep = 1; rep <= h.reps; rep++) {
        for (let i = 0; i < servers.length; i++) {
          const server = servers[(i + rep - 1) % servers.length];
          await sleep(200);
          const specs = h.users(config.count).map((userId) => ({ userId }));
          const result = await h.connect(server, specs, { concurrency: config.concurrency });
          if (result.failed > 0)
            problems.push(
              `${server.stack} rep ${rep}: ${result.failed} failed: ${JSON.stringify(result.errors)}`,
            );
          const rate = result.connected / ((result.endedAt - result.startedAt) / 1000);
          runs[server.stack].push({ connectsPerSec: rate });
          h.log(
            `  ${labelOf(server.stack)} rep ${rep}/${h.reps}: ${Math.round(rate)} connections/s (${result.connected} connected)`,
          );
          await h.closeClients();
        }
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    const rows = STACKS.map((stack) => ({
      variant: stack,
      label: labelOf(stack),
      values: { connectsPerSec: summarize(runs[stack].map((r) => r.connectsPerSec)) },
    }));
    return { metrics: METRICS, rows, baseline: 'ws', problems, targets: [] };
  },
};
