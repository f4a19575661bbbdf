import { captureLogs, type LogCapture } from '@app/logging-ssot';
import { isAppError } from '@app/ws-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  startTcpProxy,
  uniquePrefix,
} from '../test-support/redis-harness';
import { collector, sleep, started, thinking, waitFor } from '../test-support/stream-fixtures';
import { createRedisEngine, type RedisStreamEngine } from './redis-engine';

// These tests stop and restart Redis, so they run their own server (docs/scaling.md#rule-7-tests-never-disturb-shared-services).
let server: RedisServer;
let logs: LogCapture;
const engines: RedisStreamEngine[] = [];

function node(
  serverId: string,
  maxEvents = 100,
  keyPrefix = uniquePrefix(),
  minDelayMs = 10,
): RedisStreamEngine {
  const engine = createRedisEngine({
    url: server.url,
    keyPrefix,
    serverId,
    reconnect: { minDelayMs, maxDelayMs: Math.max(50, minDelayMs) },
    outageBuffer: { maxEvents },
  });
  engines.push(engine);
  return engine;
}

function settled<T>(promise: Promise<T>): { value?: T; error?: unknown; done: boolean } {
  const state: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then(
    (value) => Object.assign(state, { value, done: true }),
    (error: unknown) => Object.assign(state, { error, done: true }),
  );
  return state;
}

function linesOf(serverId: string, message: string): number {
  return logs.entries.filter(
    (entry) => entry.message === message && (entry as { serverId?: string }).serverId === serverId,
  ).length;
}

beforeAll(async () => {
  server = await startRedisServer();
});

afterEach(async () => {
  logs?.stop();
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  if (!server.running) await server.start();
});

afterAll(async () => {
  await server.dispose();
});

describe('a Redis outage', () => {
  it('buffers appends while Redis is down, refuses past the bound, flushes in order on recovery', async () => {
    logs = captureLogs({ silent: true });
    const engine = node('node-out', 5);
    await engine.ready();
    const alice = 'alice';
    const watcher = collector();
    await engine.subscribe(alice, watcher);
    const lease = (await engine.claimRun(alice, 'r_1', 'node-out', 60_000))!;
    await engine.append(alice, started('r_1'), { lease });
    const { epoch } = await engine.position(alice);

    await server.stop({ save: true });
    await waitFor(
      () => linesOf('node-out', 'Redis unreachable; buffering appends until it is back') === 1,
    );
    const health = await engine.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/unreachable/);

    // Other calls fail fast with a retry hint; appends wait.
    const position = await engine.position(alice).catch((e: unknown) => e);
    expect(isAppError(position, 'WS_ENGINE_UNAVAILABLE')).toBe(true);
    expect((position as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(0);
    const claim = await engine.claimRun(alice, 'r_2', 'node-out', 1000).catch((e: unknown) => e);
    expect(isAppError(claim, 'WS_ENGINE_UNAVAILABLE')).toBe(true);

    const waiting = [
      settled(engine.append(alice, thinking('r_1', 'during 1'), { lease })),
      settled(engine.append(alice, thinking('r_1', 'during 2'), { lease })),
      settled(engine.append(alice, thinking('r_1', 'during 3'), { lease })),
      settled(engine.append('bob', thinking('r_b', 'bob during'))),
      settled(engine.append(alice, thinking('r_1', 'terminal'), { lease, terminal: true })),
    ];
    const overflow = await engine
      .append(alice, thinking('r_1', 'one too many'))
      .catch((e: unknown) => e);
    expect(isAppError(overflow, 'WS_ENGINE_UNAVAILABLE')).toBe(true);
    await sleep(200);
    expect(waiting.every((w) => !w.done)).toBe(true);
    expect((await engine.health()).detail).toContain('5 appends waiting');

    await server.start();
    await waitFor(() => waiting.every((w) => w.done), 5000, 'flush after recovery');
    expect(waiting.map((w) => w.error)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const aliceResults = [waiting[0], waiting[1], waiting[2], waiting[4]].map((w) => w!.value!);
    expect(aliceResults.map((r) => r.event.seq)).toEqual([2, 3, 4, 5]);
    expect(aliceResults.every((r) => r.epoch === epoch)).toBe(true);
    expect(waiting[3]!.value!.event.seq).toBe(1);
    await engine.ready(); // the subscriber connection may come back a moment after the other
    expect((await engine.health()).ok).toBe(true);
    expect(await engine.findRun(alice, 'r_1')).toBeUndefined(); // the terminal released it

    // The subscriber resubscribed and caught up: the whole stream, once, in order.
    await waitFor(() => watcher.records.length === 5, 5000, 'subscriber catch-up');
    expect(watcher.records.map((r) => r.event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(watcher.resets).toEqual([]);

    // One line per change of state, however many reconnect attempts and events there were.
    await waitFor(() => linesOf('node-out', 'Redis reachable again') === 1);
    expect(linesOf('node-out', 'Redis unreachable; buffering appends until it is back')).toBe(1);
    expect(linesOf('node-out', 'Append buffer full; refusing appends until Redis catches up')).toBe(
      1,
    );
  });

  it('starts a new epoch when Redis comes back empty, resetting listeners and fencing old leases', async () => {
    logs = captureLogs({ silent: true });
    const engine = node('node-loss');
    await engine.ready();
    const watcher = collector();
    await engine.subscribe('carol', watcher);
    const lease = (await engine.claimRun('carol', 'r_1', 'node-loss', 60_000))!;
    const first = await engine.append('carol', started('r_1'), { lease });
    await waitFor(() => watcher.records.length === 1);

    await server.stop(); // killed: the data is gone
    await waitFor(
      () => linesOf('node-loss', 'Redis unreachable; buffering appends until it is back') === 1,
    );
    const fenced = settled(
      engine.append('carol', thinking('r_1', 'lease lost with the data'), { lease }),
    );
    const plain = settled(engine.append('carol', thinking('r_9', 'without a lease')));
    await server.start();

    await waitFor(() => fenced.done && plain.done, 5000, 'flush after recovery');
    expect(isAppError(fenced.error, 'WS_RUN_FENCED')).toBe(true);
    expect(plain.value!.epoch).not.toBe(first.epoch);
    expect(plain.value!.event.seq).toBe(1);
    await waitFor(() => watcher.resets.length === 1 && watcher.records.length === 2, 5000, 'reset');
    expect(watcher.resets).toEqual([plain.value!.epoch]);
    expect(watcher.records[1]!.event.seq).toBe(1);
  });

  it('starts while Redis is down without crashing, and comes up when it does', async () => {
    logs = captureLogs({ silent: true });
    await server.stop({ save: true });
    const engine = node('node-late');
    const ready = settled(engine.ready());
    await waitFor(
      () => linesOf('node-late', 'Redis unreachable; buffering appends until it is back') === 1,
    );
    expect((await engine.health()).ok).toBe(false);
    const pending = settled(engine.append('dave', thinking('r_1', 'early')));
    const slot = await engine
      .acquireConnectionSlot('dave', 'c_1', 1, 1000)
      .catch((e: unknown) => e);
    expect(isAppError(slot, 'WS_ENGINE_UNAVAILABLE')).toBe(true);
    await sleep(100);
    expect(ready.done || pending.done).toBe(false);
    await server.start();
    await waitFor(() => ready.done && pending.done, 5000, 'startup after Redis came up');
    expect(ready.error).toBeUndefined();
    expect(pending.value!.event.seq).toBe(1);
    await engine.ready();
    expect((await engine.health()).ok).toBe(true);
  });

  it('catches up, after a partition, with the events published meanwhile', async () => {
    logs = captureLogs({ silent: true });
    const proxy = await startTcpProxy(server.port);
    try {
      const prefix = uniquePrefix();
      const a = node('node-pub', 100, prefix);
      const b = createRedisEngine({
        url: proxy.url,
        keyPrefix: prefix,
        serverId: 'node-cut',
        reconnect: { minDelayMs: 10, maxDelayMs: 50 },
      });
      engines.push(b);
      await Promise.all([a.ready(), b.ready()]);
      const watcher = collector();
      await b.subscribe('frank', watcher);
      await a.append('frank', thinking('r_1', 'before'));
      await waitFor(() => watcher.records.length === 1);

      proxy.cut(); // b is partitioned from Redis; a is not
      await waitFor(
        () => linesOf('node-cut', 'Redis unreachable; buffering appends until it is back') === 1,
      );
      expect((await b.health()).ok).toBe(false);
      // Published while b is not subscribed: lost on the channel, and nothing follows them.
      await a.append('frank', thinking('r_1', 'missed 1'));
      await a.append('frank', thinking('r_1', 'missed 2'));
      await sleep(100);
      expect(watcher.records).toHaveLength(1);

      proxy.restore();
      await waitFor(() => watcher.records.length === 3, 3000, 'catch-up after resubscribing');
      expect(watcher.records.map((r) => r.event.seq)).toEqual([1, 2, 3]);
      expect(watcher.resets).toEqual([]);
      await waitFor(() => linesOf('node-cut', 'Redis reachable again') === 1);
    } finally {
      await proxy.close();
    }
  });

  it('rejects buffered appends when closed during an outage', async () => {
    logs = captureLogs({ silent: true });
    const engine = node('node-close');
    await engine.ready();
    await server.stop({ save: true });
    await waitFor(
      () => linesOf('node-close', 'Redis unreachable; buffering appends until it is back') === 1,
    );
    const pending = settled(engine.append('erin', thinking('r_1', 'never')));
    await engine.close();
    await waitFor(() => pending.done);
    expect(isAppError(pending.error, 'WS_ENGINE_UNAVAILABLE')).toBe(true);
  });
});
