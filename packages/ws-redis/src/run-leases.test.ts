import { randomUUID } from 'node:crypto';
import { isAppError } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { useRedisTestSuite } from '../test-support/redis-test-suite';
import { collector, sleep, started, thinking, waitFor } from '../test-support/stream-fixtures';

const redis = useRedisTestSuite();
const { node } = redis;

const user = (): string => `u_${randomUUID()}`;
const run = (): string => `r_${randomUUID()}`;

function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('run leases across nodes', () => {
  it('let one node own a run and refuse the other node’s claim and appends', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const alice = user();
    const runId = run();
    const lease = await a.claimRun(alice, runId, 'node-a', 10_000);
    expect(lease).toBeDefined();
    expect(await b.claimRun(alice, runId, 'node-b', 10_000)).toBeUndefined();
    expect(await b.findRun(alice, runId)).toEqual({ ownerId: 'node-a' });
    await b.append(alice, started(runId), { lease: lease! }); // the token, not the node, decides
    const forged = await refusal(
      b.append(alice, thinking(runId, 'x'), { lease: { ...lease!, token: 'l_x' } }),
    );
    expect(isAppError(forged, 'WS_RUN_FENCED')).toBe(true);
    const otherRun = await refusal(a.append(alice, thinking(run(), 'x'), { lease: lease! }));
    expect(isAppError(otherRun, 'WS_RUN_FENCED')).toBe(true);
    expect((await a.position(alice)).latestSeq).toBe(1);
    await a.releaseRun(lease!); // no orphan left for the reaper tests below (one deadline index)
  });

  it('refuse everything of a run after its terminal event, on every node', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const alice = user();
    const runId = run();
    const lease = (await a.claimRun(alice, runId, 'node-a', 10_000))!;
    await a.append(alice, started(runId), { lease });
    await a.append(alice, thinking(runId, 'done'), { lease, terminal: true });
    const late = await refusal(b.append(alice, thinking(runId, 'late'), { lease }));
    expect(isAppError(late, 'WS_RUN_FENCED')).toBe(true);
    expect(await b.renewRun(lease, 10_000)).toBe(false);
    expect(await b.findRun(alice, runId)).toBeUndefined();
  });

  it('end the run of a killed node with node_lost, exactly once, once the lease TTL has passed', async () => {
    // Long enough for the appends below to come while the lease is alive, on a loaded machine.
    const leaseTtlMs = 2000;
    const reaperIntervalMs = 100;
    const a = await node('node-a', { reaperIntervalMs: 60_000 });
    const b = await node('node-b', { reaperIntervalMs });
    const c = await node('node-c', { reaperIntervalMs });
    const alice = user();
    const runId = run();
    const watcher = collector();
    await c.subscribe(alice, watcher);
    const lease = (await a.claimRun(alice, runId, 'node-a', leaseTtlMs))!;
    await a.append(alice, started(runId, 't_lost'), { lease });
    await a.append(alice, thinking(runId, 'working'), { lease });
    await a.close(); // no release, no more renewals: as if the process was killed

    await waitFor(() => watcher.records.length === 3, 30_000, 'node_lost terminal');
    const terminal = watcher.records[2]!.event;
    expect(terminal).toMatchObject({
      type: 'agent_completed',
      seq: 3,
      runId,
      threadId: 't_lost',
      payload: { status: 'error', error: { code: 'node_lost' } },
    });
    expect(
      terminal.type === 'agent_completed' && terminal.payload.durationMs,
    ).toBeGreaterThanOrEqual(leaseTtlMs);
    await sleep(3 * reaperIntervalMs);
    expect(watcher.records).toHaveLength(3); // b and c raced; exactly one won
    expect(await b.findRun(alice, runId)).toBeUndefined();
    // The killed node's lease is fenced for good.
    const stale = await refusal(b.append(alice, thinking(runId, 'zombie'), { lease }));
    expect(isAppError(stale, 'WS_RUN_FENCED')).toBe(true);
  });

  it('end a run that was claimed with its thread and never appended to, once, with node_lost', async () => {
    const leaseTtlMs = 300;
    const reaperIntervalMs = 100;
    const a = await node('node-a', { reaperIntervalMs: 60_000 });
    const b = await node('node-b', { reaperIntervalMs });
    const c = await node('node-c', { reaperIntervalMs });
    const alice = user();
    const runId = run();
    const watcher = collector();
    await c.subscribe(alice, watcher);
    // The owner claimed the run (its client may hold the ack already), then died.
    const lease = (await a.claimRun(alice, runId, 'node-a', leaseTtlMs, { threadId: 't_acked' }))!;
    await a.close();

    await waitFor(() => watcher.records.length === 1, 30_000, 'node_lost terminal');
    expect(watcher.records[0]!.event).toMatchObject({
      type: 'agent_completed',
      seq: 1,
      runId,
      threadId: 't_acked',
      payload: { status: 'error', error: { code: 'node_lost' } },
    });
    await sleep(3 * reaperIntervalMs);
    expect(watcher.records).toHaveLength(1); // b and c raced; exactly one won
    expect(await b.findRun(alice, runId)).toBeUndefined();
    const stale = await refusal(b.append(alice, started(runId, 't_acked'), { lease }));
    expect(isAppError(stale, 'WS_RUN_FENCED')).toBe(true);
    expect((await b.readSince(alice, 0)).records).toHaveLength(1);
  });

  it('fence a paused owner that wakes up after its run was taken over', async () => {
    const a = await node('node-a', { reaperIntervalMs: 60_000 });
    const b = await node('node-b', { reaperIntervalMs: 60_000 });
    const alice = user();
    const runId = run();
    const lease = (await a.claimRun(alice, runId, 'node-a', 1500))!;
    await a.append(alice, started(runId), { lease });
    // Paused: no renewal. B takes the run over once the lease has expired.
    // The file's runs share one deadline index: wait for this run's end, not for any reaped run.
    await waitFor(
      async () => {
        await b.reapOrphanedRuns();
        const { records } = await b.readSince(alice, 0);
        return records.some((record) => record.event.type === 'agent_completed');
      },
      30_000,
      'the takeover',
    );
    expect(await a.renewRun(lease, 10_000)).toBe(false);
    const late = await refusal(a.append(alice, thinking(runId, 'woke up'), { lease }));
    expect(isAppError(late, 'WS_RUN_FENCED')).toBe(true);
    const read = await a.readSince(alice, 0);
    expect(read.records.map((r) => r.event.type)).toEqual(['agent_started', 'agent_completed']);
  });

  it('leave a renewed run alone and release a lost run with no known thread (claimed without one, nothing appended)', async () => {
    const a = await node('node-a', { reaperIntervalMs: 60_000 });
    const b = await node('node-b', { reaperIntervalMs: 60_000 });
    const alice = user();
    const live = (await a.claimRun(alice, run(), 'node-a', 1500))!;
    const silent = (await a.claimRun(alice, run(), 'node-a', 1500))!;
    expect(await a.renewRun(live, 60_000)).toBe(true);
    // The silent one, once its lease has expired: its record goes (an expired lease alone
    // already hides it from findRun; other tests' runs may be reaped meanwhile).
    const admin = await redis.client();
    await waitFor(
      async () => {
        await b.reapOrphanedRuns();
        return (await admin.hExists(b.keys.meta(alice), `l:${silent.runId}`)) === 0;
      },
      30_000,
      'the silent run reaped',
    );
    expect(await b.findRun(alice, live.runId)).toEqual({ ownerId: 'node-a' });
    expect(await b.findRun(alice, silent.runId)).toBeUndefined();
    expect((await b.position(alice)).latestSeq).toBe(0);
  });

  it('store a lease with its expiry in the meta hash and index it by deadline, and clean both up on release', async () => {
    const a = await node('node-a', { reaperIntervalMs: 60_000 });
    const { createClient } = await import('redis');
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      const alice = user();
      const before = Date.now();
      const lease = (await a.claimRun(alice, run(), 'node-a', 60_000))!;
      const field = `l:${lease.runId}`;
      const stored = (await admin.hGet(a.keys.meta(alice), field))!;
      const [token, expires] = stored.split(' ');
      expect(token).toBe(lease.token);
      expect(Number(expires)).toBeGreaterThanOrEqual(before + 60_000);
      expect(await admin.pTTL(a.keys.meta(alice))).toBeGreaterThan(60_000);
      const member = JSON.stringify([alice, lease.runId]);
      expect(await admin.zScore(a.keys.runDeadlines(alice), member)).toBeGreaterThan(Date.now());
      await a.releaseRun(lease);
      expect(await admin.hExists(a.keys.meta(alice), field)).toBe(0);
      expect(await admin.zScore(a.keys.runDeadlines(alice), member)).toBeNull();
    } finally {
      admin.destroy();
    }
  });
});
