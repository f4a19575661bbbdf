import type { UnsequencedEvent } from '@app/ws-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '@app/ws-protocol';
import { randomId } from '../random-id';
import { registerAdmissionContract } from './run-admission-contract';
import { DEFAULT_RETENTION } from '../retention-settings';
import type {
  ControlMessage,
  RetentionSettings,
  StreamEngine,
  StreamListener,
  StreamRecord,
} from '../stream-engine';

/** Makes a fresh engine with the given retention (each test makes its own and closes it). */
export type StreamEngineFactory = (options: {
  retention: RetentionSettings;
}) => StreamEngine | Promise<StreamEngine>;

/** Options of {@link runStreamEngineContract}. */
export interface StreamEngineContractOptions {
  /** How long to wait for asynchronous delivery (subscriptions, control). Default 2000 ms. */
  deliveryTimeoutMs?: number;
  /** `maxAgeMs` used by the age-retention test (it waits 2.5× that, real time). Default 150. */
  shortMaxAgeMs?: number;
  /**
   * Whether run leases expire after their TTL (an engine of several nodes): then a run whose
   * lease expired must stop counting against `admitRun`'s cap. Default false.
   */
  expiringLeases?: boolean;
}

function thinking(runId: string, text: string): UnsequencedEvent {
  return {
    type: 'agent_thinking',
    runId,
    threadId: 't_contract',
    ts: new Date().toISOString(),
    payload: { text },
  };
}

function runEvent(
  type: 'user_message' | 'agent_started' | 'agent_response_delta' | 'agent_completed',
  runId: string,
  text = '',
): UnsequencedEvent {
  const ts = new Date().toISOString();
  const base = { runId, threadId: 't_contract', ts };
  switch (type) {
    case 'user_message':
      return { ...base, type, payload: { messageId: `m_${runId}`, text } };
    case 'agent_started':
      return { ...base, type, payload: { agentName: text, input: 'hi' } };
    case 'agent_response_delta':
      return { ...base, type, payload: { delta: text } };
    case 'agent_completed':
      return { ...base, type, payload: { status: 'success', durationMs: 1 } };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

function collector(): StreamListener & { records: StreamRecord[]; resets: string[] } {
  const records: StreamRecord[] = [];
  const resets: string[] = [];
  return {
    records,
    resets,
    onEvent: (record) => records.push(record),
    onReset: (epoch) => resets.push(epoch),
  };
}

/**
 * The behaviour every {@link StreamEngine} must have, as a vitest suite: call it from a test file
 * of the engine's package. Each test uses fresh random user ids, so a shared backend is fine.
 *
 * ```ts
 * import { runStreamEngineContract } from '@app/ws-core/testing';
 * runStreamEngineContract('redis engine', ({ retention }) => createRedisEngine({ url, retention }));
 * ```
 */
export function runStreamEngineContract(
  name: string,
  createEngine: StreamEngineFactory,
  options: StreamEngineContractOptions = {},
): void {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 2000;
  const shortMaxAgeMs = options.shortMaxAgeMs ?? 150;

  describe(`StreamEngine contract: ${name}`, () => {
    const engines: StreamEngine[] = [];
    const make = async (retention: Partial<RetentionSettings> = {}): Promise<StreamEngine> => {
      const engine = await createEngine({ retention: { ...DEFAULT_RETENTION, ...retention } });
      engines.push(engine);
      return engine;
    };
    const user = (): string => randomId('u_contract_');

    afterEach(async () => {
      await Promise.all(engines.splice(0).map((engine) => engine.close()));
    });

    registerAdmissionContract({
      make: () => make(),
      user,
      expiringLeases: options.expiringLeases ?? false,
    });

    it('gives a new stream an epoch, seq 0 and nothing retained', async () => {
      const engine = await make();
      const alice = user();
      const position = await engine.position(alice);
      expect(position.epoch).toMatch(/^e_./);
      expect(position.latestSeq).toBe(0);
      expect(position.oldestSeq).toBe(1);
      expect((await engine.position(alice)).epoch).toBe(position.epoch);
    });

    it('numbers appends from 1 under the stream epoch and returns the wire text', async () => {
      const engine = await make();
      const alice = user();
      const { epoch } = await engine.position(alice);
      for (let i = 1; i <= 5; i++) {
        const event = thinking('r_1', `step ${i} é😀 \ud800 "quoted"\n`);
        const result = await engine.append(alice, event, {
          payloadJson: i % 2 === 0 ? JSON.stringify(event.payload) : undefined,
        });
        expect(result.epoch).toBe(epoch);
        expect(result.seq).toBe(i);
        expect(result.event).toEqual({ ...event, seq: i });
        expect(JSON.parse(result.json)).toEqual({ ...event, seq: i });
      }
      expect(await engine.position(alice)).toEqual({
        epoch,
        latestSeq: 5,
        oldestSeq: 1,
        activeRuns: [],
      });
    });

    it('applies appends for one user in call order even when not awaited one by one', async () => {
      const engine = await make();
      const alice = user();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => engine.append(alice, thinking('r_1', String(i)))),
      );
      results.forEach((result, i) => {
        expect(result.event.seq).toBe(i + 1);
        expect(result.event.payload).toEqual({ text: String(i) });
      });
    });

    it('replays events exactly as appended, whatever their text', async () => {
      const engine = await make();
      const alice = user();
      const texts = [
        '',
        'ascii',
        'é à ü',
        '😀👍🏽',
        '\u0000\u001f',
        '\ud800 lone',
        'x'.repeat(40_000),
      ];
      const appended = [];
      for (const text of texts) appended.push(await engine.append(alice, thinking('r_1', text)));
      const read = await engine.readSince(alice, 0);
      expect(read.records.map((r) => r.json)).toEqual(appended.map((a) => a.json));
      expect(read.records.map((r) => r.event)).toEqual(appended.map((a) => a.event));
    });

    it('keeps users apart', async () => {
      const engine = await make();
      const [alice, bob] = [user(), user()];
      await engine.append(alice, thinking('r_a', 'a1'));
      await engine.append(alice, thinking('r_a', 'a2'));
      const b = await engine.append(bob, thinking('r_b', 'b1'));
      expect(b.event.seq).toBe(1);
      const read = await engine.readSince(bob, 0);
      expect(read.records.map((r) => r.event.runId)).toEqual(['r_b']);
    });

    it('reads since a seq: complete ranges, and the incomplete cases', async () => {
      const engine = await make();
      const alice = user();
      for (let i = 1; i <= 4; i++) await engine.append(alice, thinking('r_1', `s${i}`));
      const { epoch } = await engine.position(alice);

      const all = await engine.readSince(alice, 0, epoch);
      expect(all).toMatchObject({ complete: true, epoch, latestSeq: 4, oldestSeq: 1 });
      expect(all.records.map((r) => r.event.seq)).toEqual([1, 2, 3, 4]);
      expect(all.records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(JSON.parse(all.records[2]!.json)).toEqual(all.records[2]!.event);

      const tail = await engine.readSince(alice, 2);
      expect(tail.complete).toBe(true);
      expect(tail.records.map((r) => r.event.seq)).toEqual([3, 4]);

      const none = await engine.readSince(alice, 4, epoch);
      expect(none).toMatchObject({ complete: true, latestSeq: 4 });
      expect(none.records).toEqual([]);

      for (const [afterSeq, askedEpoch] of [
        [5, epoch],
        [2, 'e_another'],
        [-1, epoch],
        [1.5, epoch],
      ] as const) {
        const read = await engine.readSince(alice, afterSeq, askedEpoch);
        expect(read).toMatchObject({ complete: false, epoch, latestSeq: 4, oldestSeq: 1 });
        expect(read.records).toEqual([]);
      }
    });

    it('keeps at most maxEvents and reports older ranges incomplete with oldestSeq', async () => {
      const engine = await make({ maxEvents: 5 });
      const alice = user();
      for (let i = 1; i <= 8; i++) await engine.append(alice, thinking('r_1', `s${i}`));
      const position = await engine.position(alice);
      expect(position).toMatchObject({ latestSeq: 8, oldestSeq: 4 });
      const lost = await engine.readSince(alice, 2, position.epoch);
      expect(lost).toMatchObject({ complete: false, oldestSeq: 4, latestSeq: 8 });
      const kept = await engine.readSince(alice, 3, position.epoch);
      expect(kept.complete).toBe(true);
      expect(kept.records.map((r) => r.event.seq)).toEqual([4, 5, 6, 7, 8]);
    });

    it('drops events older than maxAgeMs', async () => {
      const engine = await make({ maxAgeMs: shortMaxAgeMs });
      const alice = user();
      await engine.append(alice, thinking('r_1', 'old'));
      const { epoch } = await engine.position(alice);
      await sleep(shortMaxAgeMs * 2.5);
      const read = await engine.readSince(alice, 0, epoch);
      expect(read.complete).toBe(false);
      expect(read.records).toEqual([]);
      // Whether the stream kept its epoch or expired into a new one, nothing old is retained.
      expect(read.oldestSeq).toBe(read.latestSeq + 1);
    });

    it('delivers events appended after subscribe, in order, to every subscriber of that user only', async () => {
      const engine = await make();
      const [alice, bob] = [user(), user()];
      await engine.append(alice, thinking('r_1', 'before'));
      const first = collector();
      const second = collector();
      const bobs = collector();
      const subscriptions = await Promise.all([
        engine.subscribe(alice, first),
        engine.subscribe(alice, second),
        engine.subscribe(bob, bobs),
      ]);
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, i) => engine.append(alice, thinking('r_1', `live ${i}`))),
      );
      await engine.append(bob, thinking('r_2', 'bob'));
      await waitFor(
        () => first.records.length >= 20 && second.records.length >= 20 && bobs.records.length >= 1,
        deliveryTimeoutMs,
      );
      for (const received of [first, second]) {
        expect(received.records.map((r) => r.seq)).toEqual(appended.map((a) => a.seq));
        expect(received.records.map((r) => r.event.seq)).toEqual(appended.map((a) => a.event.seq));
        expect(received.records.map((r) => r.json)).toEqual(appended.map((a) => a.json));
      }
      expect(bobs.records.map((r) => r.event.runId)).toEqual(['r_2']);

      await subscriptions[0]?.unsubscribe();
      await engine.append(alice, thinking('r_1', 'after unsubscribe'));
      await waitFor(() => second.records.length >= 21, deliveryTimeoutMs);
      await sleep(20);
      expect(first.records).toHaveLength(20);
      await Promise.all(subscriptions.slice(1).map((s) => s.unsubscribe()));
    });

    it('fences appends with run leases', async () => {
      const engine = await make();
      const [alice, bob] = [user(), user()];
      const runId = randomId('r_');
      const lease = await engine.claimRun(alice, runId, 'node-a', 10_000);
      expect(lease).toMatchObject({ userId: alice, runId, ownerId: 'node-a' });
      expect(await engine.claimRun(alice, runId, 'node-b', 10_000)).toBeUndefined();
      expect(await engine.findRun(alice, runId)).toEqual({ ownerId: 'node-a' });
      expect(await engine.findRun(bob, runId)).toBeUndefined();
      expect(await engine.renewRun(lease!, 10_000)).toBe(true);

      await engine.append(alice, thinking(runId, 'owned'), { lease: lease! });
      const forged = { ...lease!, token: 'l_forged' };
      const refused = await engine.append(alice, thinking(runId, 'forged'), { lease: forged }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isAppError(refused, 'WS_RUN_FENCED')).toBe(true);

      await engine.append(alice, thinking(runId, 'terminal'), { lease: lease!, terminal: true });
      const late = await engine.append(alice, thinking(runId, 'late'), { lease: lease! }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isAppError(late, 'WS_RUN_FENCED')).toBe(true);
      expect(await engine.findRun(alice, runId)).toBeUndefined();
      expect(await engine.renewRun(lease!, 10_000)).toBe(false);
      expect((await engine.position(alice)).latestSeq).toBe(2);

      // A claim may describe the run (for a takeover); it changes nothing else.
      const other = await engine.claimRun(alice, randomId('r_'), 'node-a', 10_000, {
        threadId: 't_claimed',
      });
      expect(other).toMatchObject({ userId: alice, ownerId: 'node-a' });
      expect(await engine.findRun(alice, other!.runId)).toEqual({ ownerId: 'node-a' });
      await engine.releaseRun(other!);
      expect(await engine.findRun(alice, other!.runId)).toBeUndefined();
      expect(await engine.renewRun(other!, 10_000)).toBe(false);
    });

    it('lists the runs in flight with their first seq, oldest first, until they end', async () => {
      const engine = await make();
      const [alice, bob] = [user(), user()];
      await engine.append(alice, thinking('r_outside', 'no lease: no run in flight'));
      const [first, second] = [randomId('r_'), randomId('r_')];
      const one = await engine.claimRun(alice, first, 'node-a', 10_000, {
        threadId: 't_contract',
        agentName: 'assistant',
      });
      const two = await engine.claimRun(alice, second, 'node-a', 10_000);
      expect((await engine.position(alice)).activeRuns).toEqual([]);

      const message = await engine.append(alice, runEvent('user_message', first, 'hello'), {
        lease: one!,
      });
      await engine.append(alice, runEvent('agent_started', first, 'assistant'), { lease: one! });
      const started = await engine.append(alice, runEvent('agent_started', second, 'helper'), {
        lease: two!,
      });
      await engine.append(alice, runEvent('agent_response_delta', first, 'w1 '), { lease: one! });
      const position = await engine.position(alice);
      expect(position.activeRuns).toEqual([
        {
          runId: first,
          threadId: 't_contract',
          agentName: 'assistant',
          firstSeq: message.seq,
          startedAt: message.event.ts,
        },
        {
          runId: second,
          threadId: 't_contract',
          agentName: 'helper',
          firstSeq: started.seq,
          startedAt: started.event.ts,
        },
      ]);
      expect((await engine.position(bob)).activeRuns).toEqual([]);

      await engine.append(alice, runEvent('agent_completed', first), {
        lease: one!,
        terminal: true,
      });
      expect((await engine.position(alice)).activeRuns.map((r) => r.runId)).toEqual([second]);
      await engine.releaseRun(two!);
      expect((await engine.position(alice)).activeRuns).toEqual([]);
    });

    it('keeps every event of a run in flight past maxEvents, then trims once it ended', async () => {
      const engine = await make({ maxEvents: 3 });
      const alice = user();
      for (let i = 0; i < 4; i++) await engine.append(alice, thinking('r_before', `b${i}`));
      const runId = randomId('r_');
      const lease = await engine.claimRun(alice, runId, 'node-a', 10_000, {
        threadId: 't_contract',
        agentName: 'assistant',
      });
      const started = await engine.append(alice, runEvent('agent_started', runId, 'assistant'), {
        lease: lease!,
      });
      for (let i = 1; i <= 30; i++) {
        await engine.append(alice, runEvent('agent_response_delta', runId, `w${i} `), {
          lease: lease!,
        });
      }
      const position = await engine.position(alice);
      expect(position.activeRuns[0]?.firstSeq).toBe(started.seq);
      expect(position.oldestSeq).toBeLessThanOrEqual(started.seq);
      const whole = await engine.readSince(alice, started.seq - 1, position.epoch);
      expect(whole.complete).toBe(true);
      expect(whole.records.map((r) => r.seq)).toEqual(
        Array.from({ length: 31 }, (_, i) => started.seq + i),
      );
      expect(whole.records.map((r) => r.json)).toEqual(
        whole.records.map((r) => JSON.stringify(r.event)),
      );

      await engine.append(alice, runEvent('agent_completed', runId), {
        lease: lease!,
        terminal: true,
      });
      await engine.append(alice, thinking('r_after', 'after'));
      const after = await engine.position(alice);
      expect(after).toMatchObject({ oldestSeq: after.latestSeq - 2, activeRuns: [] });
      const read = await engine.readSince(alice, started.seq - 1, after.epoch);
      expect(read.complete).toBe(false);
    });

    it('bounds retained bytes by maxBytes, except for the events of a run in flight', async () => {
      const engine = await make({ maxBytes: 2000 });
      const alice = user();
      const filler = 'x'.repeat(300);
      for (let i = 0; i < 12; i++) await engine.append(alice, thinking('r_before', filler));
      const bounded = await engine.position(alice);
      const kept = await engine.readSince(alice, bounded.oldestSeq - 1, bounded.epoch);
      const keptBytes = kept.records.reduce((sum, r) => sum + Buffer.byteLength(r.json), 0);
      const oneEvent = Buffer.byteLength(kept.records[0]!.json);
      expect(kept.complete).toBe(true);
      expect(keptBytes).toBeLessThanOrEqual(2000);
      // As many as fit: one more of the same size would not.
      expect(keptBytes + oneEvent).toBeGreaterThan(2000);

      const runId = randomId('r_');
      const lease = await engine.claimRun(alice, runId, 'node-a', 10_000);
      const started = await engine.append(alice, runEvent('agent_started', runId, 'assistant'), {
        lease: lease!,
      });
      for (let i = 0; i < 20; i++) {
        await engine.append(alice, runEvent('agent_response_delta', runId, filler), {
          lease: lease!,
        });
      }
      const position = await engine.position(alice);
      const whole = await engine.readSince(alice, started.seq - 1, position.epoch);
      expect(whole.complete).toBe(true);
      expect(whole.records).toHaveLength(21);

      await engine.append(alice, runEvent('agent_completed', runId), {
        lease: lease!,
        terminal: true,
      });
      const ended = await engine.position(alice);
      const after = await engine.readSince(alice, ended.oldestSeq - 1, ended.epoch);
      expect(
        after.records.reduce((sum, r) => sum + Buffer.byteLength(r.json), 0),
      ).toBeLessThanOrEqual(2000);
      expect(ended.oldestSeq).toBeGreaterThan(started.seq);
    });

    it('keeps the events of a run in flight past maxAgeMs', async () => {
      const engine = await make({ maxAgeMs: shortMaxAgeMs });
      const alice = user();
      const runId = randomId('r_');
      const lease = await engine.claimRun(alice, runId, 'node-a', 10_000);
      const started = await engine.append(alice, runEvent('agent_started', runId, 'assistant'), {
        lease: lease!,
      });
      await sleep(shortMaxAgeMs * 2.5);
      await engine.append(alice, runEvent('agent_response_delta', runId, 'late'), {
        lease: lease!,
      });
      const read = await engine.readSince(alice, started.seq - 1, started.epoch);
      expect(read.complete).toBe(true);
      expect(read.records.map((r) => r.event.type)).toEqual([
        'agent_started',
        'agent_response_delta',
      ]);
      expect((await engine.position(alice)).activeRuns.map((r) => r.runId)).toEqual([runId]);
    });

    it('publishes control messages to onControl listeners', async () => {
      const engine = await make();
      const received: ControlMessage[] = [];
      const stop = engine.onControl((message) => received.push(message));
      const message: ControlMessage = {
        type: 'cancel_run',
        userId: user(),
        runId: randomId('r_'),
        origin: 'node-a',
      };
      await engine.publishControl(message);
      await waitFor(() => received.length >= 1, deliveryTimeoutMs);
      expect(received).toEqual([message]);
      stop();
      await engine.publishControl({ ...message, runId: randomId('r_') });
      await sleep(20);
      expect(received).toHaveLength(1);
    });

    it('counts connection slots against a maximum', async () => {
      const engine = await make();
      const alice = user();
      expect(await engine.acquireConnectionSlot(alice, 'c_1', 2, 10_000)).toBe(true);
      expect(await engine.acquireConnectionSlot(alice, 'c_1', 2, 10_000)).toBe(true);
      expect(await engine.acquireConnectionSlot(alice, 'c_2', 2, 10_000)).toBe(true);
      expect(await engine.acquireConnectionSlot(alice, 'c_3', 2, 10_000)).toBe(false);
      expect(await engine.countConnections(alice)).toBe(2);
      await engine.renewConnectionSlot(alice, 'c_1', 10_000);
      await engine.releaseConnectionSlot(alice, 'c_1');
      await engine.releaseConnectionSlot(alice, 'c_1');
      expect(await engine.countConnections(alice)).toBe(1);
      expect(await engine.acquireConnectionSlot(alice, 'c_3', 2, 10_000)).toBe(true);
      expect(await engine.countConnections(user())).toBe(0);
    });

    it('reports health, and refuses work once closed', async () => {
      const engine = await make();
      const health = await engine.health();
      expect(health.ok).toBe(true);
      expect(typeof health.detail).toBe('string');
      await engine.close();
      await engine.close();
      const error = await engine.append(user(), thinking('r_1', 'closed')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(error, 'WS_ENGINE_UNAVAILABLE')).toBe(true);
      expect((await engine.health()).ok).toBe(false);
    });
  });
}
