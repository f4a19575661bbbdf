import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer, uniquePrefix } from '../test-support/redis-harness';
import { type RedisClusterServer, startRedisCluster } from '../test-support/redis-cluster-harness';
import { collector, started, thinking, waitFor } from '../test-support/stream-fixtures';
import { createRedisEngine } from './redis-engine';

// INFO commandstats is server-wide and CONFIG RESETSTAT clears it: a private server and a
// private three-master cluster (rule 7); on the cluster, every master's counts are added up.
let server: RedisServer;
let cluster: RedisClusterServer;

beforeAll(async () => {
  [server, cluster] = await Promise.all([startRedisServer(), startRedisCluster(3)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([server?.dispose(), cluster?.dispose()]);
});

/** Clients of every server of the target (one, or each master). */
type Admin = ReturnType<typeof createClient>[];

async function admin(ports: readonly number[]): Promise<Admin> {
  return Promise.all(
    ports.map(async (port) => {
      const client = createClient({ url: `redis://127.0.0.1:${port}` });
      await client.connect();
      return client;
    }),
  );
}

async function resetStats(clients: Admin): Promise<void> {
  await Promise.all(clients.map((c) => c.sendCommand(['CONFIG', 'RESETSTAT'])));
}

/** `cmdstat_<name>` calls since the last `CONFIG RESETSTAT`, script internals included. */
async function commandCalls(clients: Admin): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const client of clients) {
    const info = await client.sendCommand<string>(['INFO', 'commandstats']);
    for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
      if (match[1] === 'info' || match[1] === 'config|resetstat') continue;
      calls.set(match[1]!, (calls.get(match[1]!) ?? 0) + Number(match[2]));
    }
  }
  return calls;
}

function total(calls: Map<string, number>): number {
  return [...calls.values()].reduce((sum, n) => sum + n, 0);
}

function breakdown(calls: Map<string, number>, events: number): string {
  return [...calls.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${(n / events).toFixed(2)}`)
    .join(', ');
}

describe('Redis commands per emitted event (docs/scaling.md#rule-10-cost)', () => {
  const cases = [1, 3].flatMap((following) =>
    (['one Redis', 'a three-master cluster'] as const).map((target) => ({ following, target })),
  );
  for (const { following, target } of cases) {
    it(`are at most 5, script internals included, with ${following} node(s) following the user, on ${target}`, async () => {
      const onCluster = target !== 'one Redis';
      const stats = await admin(onCluster ? cluster.nodes.map((n) => n.port) : [server.port]);
      const quiet = { reaperIntervalMs: 60_000, streamCheckIntervalMs: 60_000 };
      const options = {
        url: onCluster ? cluster.url : server.url,
        cluster: onCluster,
        keyPrefix: uniquePrefix(),
        ...quiet,
      };
      const nodes = Array.from({ length: following }, (_, i) =>
        createRedisEngine({ ...options, serverId: `node-${i}` }),
      );
      try {
        await Promise.all(nodes.map((n) => n.ready()));
        const listeners = nodes.map(() => collector());
        await Promise.all(nodes.map((n, i) => n.subscribe('alice', listeners[i]!)));
        const owner = nodes[0]!;
        const lease = (await owner.claimRun('alice', 'r_1', 'node-0', 60_000, {
          threadId: 't_test',
        }))!;
        // Loads the script and starts the run (its first event records it as in flight).
        await owner.append('alice', started('r_1'), { lease });
        await waitFor(() => listeners.every((l) => l.records.length === 1));

        await resetStats(stats);
        const events = 200;
        for (let i = 0; i < events; i++) {
          await owner.append('alice', thinking('r_1', `e${i}`), { lease });
        }
        await waitFor(() => listeners.every((l) => l.records.length === events + 1));
        const calls = await commandCalls(stats);
        console.log(
          `${target}, ${following} following: ${(total(calls) / events).toFixed(2)} commands per event (${breakdown(calls, events)})`,
        );
        expect(total(calls) / events).toBeLessThanOrEqual(5);
        expect(calls.get('evalsha')).toBe(events);
        expect(calls.get('spublish') ?? calls.get('publish')).toBe(events);
        expect(calls.get('xadd')).toBe(events);
        // Delivery to every following node read nothing back: no backfill in steady state.
        expect(calls.get('xrevrange') ?? 0).toBe(0);
        expect(calls.get('xrange') ?? 0).toBe(0);

        // The terminal event costs the same; its clean-up waits for the node's next batch.
        await resetStats(stats);
        const end = thinking('r_1', 'end');
        await owner.append('alice', end, { lease, terminal: true });
        await waitFor(() => listeners.every((l) => l.records.length === events + 2));
        const terminal = await commandCalls(stats);
        console.log(`terminal event: ${total(terminal)} (${breakdown(terminal, 1)})`);
        expect(total(terminal)).toBeLessThanOrEqual(5);
        expect((await owner.position('alice')).activeRuns).toEqual([]);
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
        for (const client of stats) client.destroy();
      }
    });
  }
});
