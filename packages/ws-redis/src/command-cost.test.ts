import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer, uniquePrefix } from '../test-support/redis-harness';
import { collector, started, thinking, waitFor } from '../test-support/stream-fixtures';
import { createRedisEngine } from './redis-engine';

// INFO commandstats is server-wide and CONFIG RESETSTAT clears it: a private server (rule 7).
let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server.dispose();
});

type Admin = ReturnType<typeof createClient>;

/** `cmdstat_<name>` calls since the last `CONFIG RESETSTAT`, script internals included. */
async function commandCalls(admin: Admin): Promise<Map<string, number>> {
  const info = await admin.sendCommand<string>(['INFO', 'commandstats']);
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
    if (match[1] === 'info' || match[1] === 'config|resetstat') continue;
    calls.set(match[1]!, Number(match[2]));
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
  for (const following of [1, 3]) {
    it(`are at most 5, script internals included, with ${following} node(s) following the user`, async () => {
      const admin = createClient({ url: server.url });
      await admin.connect();
      const quiet = { reaperIntervalMs: 60_000, streamCheckIntervalMs: 60_000 };
      const options = { url: server.url, keyPrefix: uniquePrefix(), ...quiet };
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

        await admin.sendCommand(['CONFIG', 'RESETSTAT']);
        const events = 200;
        for (let i = 0; i < events; i++) {
          await owner.append('alice', thinking('r_1', `e${i}`), { lease });
        }
        await waitFor(() => listeners.every((l) => l.records.length === events + 1));
        const calls = await commandCalls(admin);
        console.log(
          `${following} following: ${(total(calls) / events).toFixed(2)} commands per event (${breakdown(calls, events)})`,
        );
        expect(total(calls) / events).toBeLessThanOrEqual(5);
        expect(calls.get('evalsha')).toBe(events);
        expect(calls.get('spublish') ?? calls.get('publish')).toBe(events);
        expect(calls.get('xadd')).toBe(events);
        // Delivery to every following node read nothing back: no backfill in steady state.
        expect(calls.get('xrevrange') ?? 0).toBe(0);
        expect(calls.get('xrange') ?? 0).toBe(0);

        // The terminal event costs the same; its clean-up waits for the node's next batch.
        await admin.sendCommand(['CONFIG', 'RESETSTAT']);
        const end = thinking('r_1', 'end');
        await owner.append('alice', end, { lease, terminal: true });
        await waitFor(() => listeners.every((l) => l.records.length === events + 2));
        const terminal = await commandCalls(admin);
        console.log(`terminal event: ${total(terminal)} (${breakdown(terminal, 1)})`);
        expect(total(terminal)).toBeLessThanOrEqual(5);
        expect((await owner.position('alice')).activeRuns).toEqual([]);
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
        admin.destroy();
      }
    });
  }
});
