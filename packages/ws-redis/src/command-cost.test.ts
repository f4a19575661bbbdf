import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer, uniquePrefix } from '../test-support/redis-harness';
import { collector, thinking, waitFor } from '../test-support/stream-fixtures';
import { createRedisEngine } from './redis-engine';

// INFO commandstats is server-wide and CONFIG RESETSTAT clears it: a private server (rule 7).
let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server.dispose();
});

async function commandCalls(admin: ReturnType<typeof createClient>): Promise<Map<string, number>> {
  const info = await admin.sendCommand<string>(['INFO', 'commandstats']);
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
    calls.set(match[1]!, Number(match[2]));
  }
  return calls;
}

describe('Redis commands per event', () => {
  it('cost one script call per append and nothing per delivery, however many nodes listen', async () => {
    const admin = createClient({ url: server.url });
    await admin.connect();
    const quiet = { reaperIntervalMs: 60_000, streamCheckIntervalMs: 60_000 };
    const options = { url: server.url, keyPrefix: uniquePrefix(), ...quiet };
    const nodes = ['a', 'b', 'c'].map((id) =>
      createRedisEngine({ ...options, serverId: `node-${id}` }),
    );
    try {
      await Promise.all(nodes.map((n) => n.ready()));
      const listeners = nodes.map(() => collector());
      await Promise.all(nodes.map((n, i) => n.subscribe('alice', listeners[i]!)));
      await nodes[0]!.append('alice', thinking('r_1', 'warm-up')); // loads the script
      await waitFor(() => listeners.every((l) => l.records.length === 1));
      await admin.sendCommand(['CONFIG', 'RESETSTAT']);

      const events = 100;
      for (let i = 0; i < events; i++)
        await nodes[i % 3]!.append('alice', thinking('r_1', `e${i}`));
      await waitFor(() => listeners.every((l) => l.records.length === events + 1));
      const calls = await commandCalls(admin);

      expect(calls.get('evalsha')).toBe(events);
      expect(calls.get('eval') ?? 0).toBe(0);
      expect(calls.get('spublish') ?? calls.get('publish')).toBe(events);
      expect(calls.get('xadd')).toBe(events);
      // Delivery to three subscribed nodes read nothing back: no backfill in steady state.
      expect(calls.get('xrevrange') ?? 0).toBe(0);
      expect(calls.get('xrange') ?? 0).toBe(0);
      const inner = [...calls.entries()]
        .filter(([name]) => !['evalsha', 'info', 'config|resetstat'].includes(name))
        .reduce((sum, [, n]) => sum + n, 0);
      // The append script's own commands (HGET, HINCRBY, XADD, XTRIM, HSET, PEXPIRE ×2, publish…).
      expect(inner / events).toBeLessThanOrEqual(11);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
      admin.destroy();
    }
  });
});
