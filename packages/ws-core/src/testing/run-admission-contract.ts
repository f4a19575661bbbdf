import type { UnsequencedEvent } from '@app/ws-protocol';
import { isAppError } from '@app/ws-protocol';
import { expect, it } from 'vitest';
import { randomId } from '../random-id';
import type { RunAdmission, RunAdmissionResult, RunLease, StreamEngine } from '../stream-engine';

/** What the admission tests take from the contract suite. */
export interface AdmissionContractContext {
  /** A fresh engine, closed after the test. */
  make(): Promise<StreamEngine>;
  /** A fresh user id. */
  user(): string;
  /** Whether the engine's leases expire after their TTL (engines of several nodes). */
  expiringLeases: boolean;
}

function admission(
  userId: string,
  overrides: Partial<RunAdmission> = {},
): RunAdmission & { runId: string } {
  return {
    userId,
    runId: randomId('r_'),
    ownerId: 'node-a',
    ttlMs: 10_000,
    threadId: randomId('t_'),
    agentName: 'assistant',
    maxRuns: 2,
    chatIdTtlMs: 60_000,
    ...overrides,
  };
}

function leaseOf(result: RunAdmissionResult): RunLease {
  if (result.kind !== 'admitted') throw new Error(`expected admitted, got ${result.kind}`);
  return result.lease;
}

function completed(lease: RunLease): UnsequencedEvent {
  return {
    type: 'agent_completed',
    runId: lease.runId,
    threadId: 't_contract',
    ts: new Date().toISOString(),
    payload: { status: 'success', durationMs: 1 },
  };
}

/**
 * `admitRun` and `forgetChat` (docs/scaling.md#rule-9-idempotency-and-caps-hold-across-nodes): chat
 * ids answer their original ack, the cap counts admitted runs until their lease ends. Registered
 * by `runStreamEngineContract` inside its suite.
 */
export function registerAdmissionContract(ctx: AdmissionContractContext): void {
  it('admits runs up to maxRuns; a terminal append or a release gives a slot back', async () => {
    const engine = await ctx.make();
    const alice = ctx.user();
    const first = admission(alice);
    const one = leaseOf(await engine.admitRun(first));
    expect(one).toMatchObject({ userId: alice, runId: first.runId, ownerId: 'node-a' });
    expect(await engine.findRun(alice, first.runId)).toEqual({ ownerId: 'node-a' });
    const two = leaseOf(await engine.admitRun(admission(alice)));
    expect(await engine.admitRun(admission(alice))).toEqual({ kind: 'too_many_runs' });
    // Another user has slots of their own.
    leaseOf(await engine.admitRun(admission(ctx.user())));

    await engine.append(alice, completed(one), { lease: one, terminal: true });
    const three = leaseOf(await engine.admitRun(admission(alice)));
    expect(await engine.admitRun(admission(alice))).toEqual({ kind: 'too_many_runs' });
    await engine.releaseRun(two);
    leaseOf(await engine.admitRun(admission(alice)));
    expect(await engine.admitRun(admission(alice))).toEqual({ kind: 'too_many_runs' });
    // A release that is not current (already released) gives nothing back twice.
    await engine.releaseRun(two);
    expect(await engine.admitRun(admission(alice))).toEqual({ kind: 'too_many_runs' });
    expect(await engine.admitRun(admission(alice, { maxRuns: 3 }))).toMatchObject({
      kind: 'admitted',
    });
    expect(three.runId).not.toBe(one.runId);
  });

  it('answers a chat id seen before with its original ack and admits nothing', async () => {
    const engine = await ctx.make();
    const [alice, bob] = [ctx.user(), ctx.user()];
    const original = admission(alice, { chatId: 7, maxRuns: 1 });
    leaseOf(await engine.admitRun(original));
    const ack = { runId: original.runId, threadId: original.threadId };
    // Resent (with another run id and thread): the original ack, even at the cap.
    const again = admission(alice, { chatId: 7, maxRuns: 1 });
    expect(await engine.admitRun(again)).toEqual({ kind: 'duplicate', ack });
    expect(await engine.findRun(alice, again.runId)).toBeUndefined();
    // `7` and `'7'` are different ids; another user's `7` is theirs.
    expect(await engine.admitRun(admission(alice, { chatId: '7', maxRuns: 1 }))).toEqual({
      kind: 'too_many_runs',
    });
    expect(await engine.admitRun(admission(alice, { chatId: '7', maxRuns: 2 }))).toMatchObject({
      kind: 'admitted',
    });
    expect(await engine.admitRun(admission(bob, { chatId: 7 }))).toMatchObject({
      kind: 'admitted',
    });
    // A refused chat records nothing: the same id is admitted once there is room.
    const refused = admission(alice, { chatId: 'm-full', maxRuns: 2 });
    expect(await engine.admitRun(refused)).toEqual({ kind: 'too_many_runs' });
    const later = admission(alice, { chatId: 'm-full', maxRuns: 3 });
    leaseOf(await engine.admitRun(later));
    expect(await engine.admitRun(admission(alice, { chatId: 'm-full', maxRuns: 3 }))).toEqual({
      kind: 'duplicate',
      ack: { runId: later.runId, threadId: later.threadId },
    });
  });

  it('remembers a chat id for chatIdTtlMs, also after its run ended', async () => {
    const engine = await ctx.make();
    const alice = ctx.user();
    const first = admission(alice, { chatId: 'm1', chatIdTtlMs: 300 });
    const lease = leaseOf(await engine.admitRun(first));
    await engine.append(alice, completed(lease), { lease, terminal: true });
    expect(await engine.admitRun(admission(alice, { chatId: 'm1' }))).toMatchObject({
      kind: 'duplicate',
      ack: { runId: first.runId },
    });
    await new Promise((resolve) => setTimeout(resolve, 450));
    const fresh = admission(alice, { chatId: 'm1' });
    expect(await engine.admitRun(fresh)).toMatchObject({ kind: 'admitted' });
  });

  it('forgets a chat id only for the run it names', async () => {
    const engine = await ctx.make();
    const alice = ctx.user();
    const first = admission(alice, { chatId: 'm1' });
    leaseOf(await engine.admitRun(first));
    await engine.forgetChat(alice, 'm1', 'r_another');
    expect(await engine.admitRun(admission(alice, { chatId: 'm1' }))).toMatchObject({
      kind: 'duplicate',
    });
    await engine.forgetChat(alice, 'm1', first.runId);
    await engine.forgetChat(alice, 'never-seen', first.runId);
    expect(await engine.admitRun(admission(alice, { chatId: 'm1', maxRuns: 3 }))).toMatchObject({
      kind: 'admitted',
    });
  });

  it('refuses a run id that already has an owner, and counts claimed runs', async () => {
    const engine = await ctx.make();
    const alice = ctx.user();
    const taken = admission(alice);
    await engine.claimRun(alice, taken.runId, 'node-b', 10_000);
    const error = await engine.admitRun(taken).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(error, 'WS_RUN_FENCED')).toBe(true);
    expect(await engine.findRun(alice, taken.runId)).toEqual({ ownerId: 'node-b' });
    // A run claimed without admission counts against the cap too.
    expect(await engine.admitRun(admission(alice, { maxRuns: 1 }))).toEqual({
      kind: 'too_many_runs',
    });
  });

  // Registered only for engines whose leases expire: a skipped test would count as not run.
  if (ctx.expiringLeases)
    it('stops counting a run whose lease expired (its node was lost)', async () => {
      const engine = await ctx.make();
      const alice = ctx.user();
      leaseOf(await engine.admitRun(admission(alice, { maxRuns: 1, ttlMs: 150 })));
      expect(await engine.admitRun(admission(alice, { maxRuns: 1 }))).toEqual({
        kind: 'too_many_runs',
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await engine.admitRun(admission(alice, { maxRuns: 1 }))).toMatchObject({
        kind: 'admitted',
      });
    });
}
