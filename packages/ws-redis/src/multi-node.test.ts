import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestRedisClient, useRedisTestSuite } from '../test-support/redis-test-suite';
import { collector, sleep, thinking, waitFor } from '../test-support/stream-fixtures';

const { node, client } = useRedisTestSuite();
let admin: TestRedisClient;

const user = (): string => `u_${randomUUID()}`;

beforeAll(async () => {
  admin = await client();
});

describe('two nodes on one Redis', () => {
  it('number concurrent appends from both nodes contiguously, and both deliver the same stream', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const alice = user();
    const onA = collector();
    const onB = collector();
    await a.subscribe(alice, onA);
    await b.subscribe(alice, onB);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 === 0 ? a : b).append(alice, thinking('r_1', `${i % 2 === 0 ? 'a' : 'b'}${i}`)),
      ),
    );
    const seqs = results.map((r) => r.event.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await waitFor(() => onA.records.length >= 60 && onB.records.length >= 60);
    expect(onA.records.map((r) => r.event.seq)).toEqual(seqs);
    expect(onB.records.map((r) => r.json)).toEqual(onA.records.map((r) => r.json));
    // Each node's own appends (in call order) keep their relative order in the stream.
    const fromA = onA.records.filter((r) =>
      (r.event.payload as { text: string }).text.startsWith('a'),
    );
    expect(fromA.map((r) => (r.event.payload as { text: string }).text)).toEqual(
      Array.from({ length: 30 }, (_, i) => `a${i * 2}`),
    );
  });

  it('subscribe to a user channel only while the node has a subscriber for that user', async () => {
    const a = await node('node-a');
    const alice = user();
    const channel = a.keys.live(alice);
    const subscribers = async (): Promise<number> => {
      const reply = await admin.sendCommand<[string, number]>(['PUBSUB', 'SHARDNUMSUB', channel]);
      const classic = await admin.sendCommand<[string, number]>(['PUBSUB', 'NUMSUB', channel]);
      return Number(reply[1]) + Number(classic[1]);
    };
    expect(await subscribers()).toBe(0);
    const first = await a.subscribe(alice, collector());
    const second = await a.subscribe(alice, collector());
    expect(await subscribers()).toBe(1);
    await first.unsubscribe();
    expect(await subscribers()).toBe(1);
    await second.unsubscribe();
    expect(await subscribers()).toBe(0);
    // Subscribing again right away works (unsubscribe and subscribe are ordered on the wire).
    const again = collector();
    const sub = await a.subscribe(alice, again);
    await a.append(alice, thinking('r_1', 'again'));
    await waitFor(() => again.records.length === 1);
    await sub.unsubscribe();
  });

  it('use sharded pub/sub on Redis 7 (and report it in health)', async () => {
    const a = await node('node-a');
    const info = await admin.sendCommand<string>(['INFO', 'server']);
    const version = info.match(/redis_version:(\d+)/);
    const sharded = Number(version?.[1]) >= 7;
    expect((await a.health()).detail).toContain(sharded ? 'sharded pub/sub' : 'classic pub/sub');
  });

  it('backfill a message lost on the channel before delivering further', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const alice = user();
    const onB = collector();
    await b.subscribe(alice, onB);
    await a.append(alice, thinking('r_1', 'one'));
    await waitFor(() => onB.records.length === 1);
    // Publish seq 2 to a channel nobody listens to: a lost pub/sub message.
    await admin.sendCommand([
      'EVAL',
      `local s = redis.call('HINCRBY', KEYS[1], 'seq', 1)
       local j = ARGV[1] .. s .. ARGV[2]
       redis.call('XADD', KEYS[2], 'MAXLEN', 1000, '*', 'j', j)
       return s`,
      '2',
      a.keys.meta(alice),
      a.keys.events(alice),
      '{"type":"agent_thinking","seq":',
      ',"runId":"r_1","threadId":"t_test","ts":"2026-01-01T00:00:00.000Z","payload":{"text":"lost"}}',
    ]);
    await a.append(alice, thinking('r_1', 'three'));
    await waitFor(() => onB.records.length === 3);
    expect(onB.records.map((r) => r.event.seq)).toEqual([1, 2, 3]);
    expect((onB.records[1]!.event.payload as { text: string }).text).toBe('lost');
  });

  it('notice a lost last message through the stream check, without any further event', async () => {
    const a = await node('node-a');
    const b = await node('node-b', { streamCheckIntervalMs: 50 });
    const alice = user();
    const onB = collector();
    await b.subscribe(alice, onB);
    await a.append(alice, thinking('r_1', 'one'));
    await waitFor(() => onB.records.length === 1);
    await admin.sendCommand([
      'EVAL',
      `local s = redis.call('HINCRBY', KEYS[1], 'seq', 1)
       redis.call('XADD', KEYS[2], 'MAXLEN', 1000, '*', 'j', ARGV[1] .. s .. ARGV[2])
       return s`,
      '2',
      a.keys.meta(alice),
      a.keys.events(alice),
      '{"type":"agent_completed","seq":',
      ',"runId":"r_1","threadId":"t_test","ts":"2026-01-01T00:00:00.000Z","payload":{"status":"success","durationMs":1}}',
    ]);
    await waitFor(() => onB.records.length === 2, 3000, 'backfill of the lost terminal event');
    expect(onB.records[1]!.event).toMatchObject({ seq: 2, type: 'agent_completed' });
  });

  it('start a new epoch and reset listeners when the stream is lost', async () => {
    const a = await node('node-a');
    const b = await node('node-b', { streamCheckIntervalMs: 50 });
    const alice = user();
    const onA = collector();
    const onB = collector();
    await a.subscribe(alice, onA);
    await b.subscribe(alice, onB);
    const first = await a.append(alice, thinking('r_1', 'before loss'));
    await waitFor(() => onB.records.length === 1);
    await admin.del([a.keys.meta(alice), a.keys.events(alice)]);
    // b notices through its stream check alone; a through its next append.
    await waitFor(() => onB.resets.length === 1, 3000, 'reset on b');
    const after = await a.append(alice, thinking('r_1', 'after loss'));
    expect(after.epoch).not.toBe(first.epoch);
    expect(after.event.seq).toBe(1);
    await waitFor(() => onA.resets.length === 1 && onA.records.length === 2, 3000, 'reset on a');
    expect(onA.resets).toEqual([after.epoch]);
    expect(onB.resets).toEqual([after.epoch]);
    await waitFor(() => onB.records.length === 2);
    expect(onB.records.map((r) => r.event.seq)).toEqual([1, 1]);
    expect((await b.position(alice)).epoch).toBe(after.epoch);
  });

  it('carry cancel_run from one node to the other over the control channel', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const onA: unknown[] = [];
    const onB: unknown[] = [];
    a.onControl((m) => onA.push(m));
    b.onControl((m) => onB.push(m));
    const message = { type: 'cancel_run', userId: user(), runId: 'r_x', origin: 'node-a' } as const;
    await a.publishControl(message);
    await waitFor(() => onA.length === 1 && onB.length === 1);
    expect(onB).toEqual([message]);
  });

  it('count connection slots across nodes, and let a lost node’s slots expire', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const alice = user();
    expect(await a.acquireConnectionSlot(alice, 'c_a1', 3, 60_000)).toBe(true);
    expect(await b.acquireConnectionSlot(alice, 'c_b1', 3, 60_000)).toBe(true);
    // The lost node's slot: alive for the next two calls, however slow the machine.
    expect(await b.acquireConnectionSlot(alice, 'c_b2', 3, 3000)).toBe(true);
    expect(await a.acquireConnectionSlot(alice, 'c_a2', 3, 60_000)).toBe(false);
    expect(await a.countConnections(alice)).toBe(3);
    await waitFor(async () => (await a.countConnections(alice)) === 2, 30_000, 'the slot expired');
    expect(await a.acquireConnectionSlot(alice, 'c_a2', 3, 60_000)).toBe(true);
    expect(await admin.pTTL(a.keys.slots(alice))).toBeGreaterThan(0);
  });

  it('concurrent acquisitions from two nodes never exceed the maximum', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const alice = user();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).acquireConnectionSlot(alice, `c_${i}`, 5, 10_000),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await b.countConnections(alice)).toBe(5);
  });

  it('keep a listened-to stream alive past maxAgeMs, and let it expire once nobody listens', async () => {
    // The check touches the stream every 100 ms; only a stall of the whole 2 s would miss it.
    const maxAgeMs = 2000;
    const a = await node('node-a', { retention: { maxAgeMs }, streamCheckIntervalMs: 100 });
    const alice = user();
    const { epoch } = await a.position(alice);
    const sub = await a.subscribe(alice, collector());
    await sleep(maxAgeMs * 1.5);
    expect((await a.position(alice)).epoch).toBe(epoch);
    await sub.unsubscribe();
    await waitFor(
      async () => (await a.position(alice)).epoch !== epoch,
      30_000,
      'the unlistened stream expired',
    );
  });
});
