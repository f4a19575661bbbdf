import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryEngine, type MemoryStreamEngine } from './memory-engine';
import { runStreamEngineContract } from './testing/stream-engine-contract';

runStreamEngineContract('memory', ({ retention }) => createMemoryEngine({ retention }));

describe('memory engine', () => {
  let engine: MemoryStreamEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    vi.useRealTimers();
  });

  function thinking(text: string) {
    return {
      type: 'agent_thinking' as const,
      runId: 'r_1',
      threadId: 't_1',
      ts: new Date().toISOString(),
      payload: { text },
    };
  }

  it('expires an unwatched stream once its newest event is older than maxAgeMs (new epoch)', async () => {
    vi.useFakeTimers();
    engine = createMemoryEngine({ retention: { maxAgeMs: 10_000 } });
    await engine.append('alice', thinking('a'));
    const { epoch } = await engine.position('alice');
    await vi.advanceTimersByTimeAsync(9_000);
    await engine.append('alice', thinking('b'));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(await engine.position('alice')).toMatchObject({ epoch, latestSeq: 2, oldestSeq: 2 });
    await vi.advanceTimersByTimeAsync(1_001);
    const after = await engine.position('alice');
    expect(after.epoch).not.toBe(epoch);
    expect(after).toMatchObject({ latestSeq: 0, oldestSeq: 1 });
  });

  it('sweeps expired streams so memory does not grow with users ever seen', async () => {
    vi.useFakeTimers();
    engine = createMemoryEngine({ retention: { maxAgeMs: 10_000 } });
    for (let i = 0; i < 100; i++) await engine.append(`u${i}`, thinking('x'));
    expect(engine.streamCount).toBe(100);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(engine.streamCount).toBe(0);
  });

  it('keeps a watched stream’s epoch while it is subscribed, dropping only old events', async () => {
    vi.useFakeTimers();
    engine = createMemoryEngine({ retention: { maxAgeMs: 10_000 } });
    await engine.append('alice', thinking('a'));
    const { epoch } = await engine.position('alice');
    const subscription = await engine.subscribe('alice', {
      onEvent: () => undefined,
      onReset: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await engine.position('alice')).toMatchObject({ epoch, latestSeq: 1, oldestSeq: 2 });
    await subscription.unsubscribe();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(engine.streamCount).toBe(0);
  });

  it('resetStream starts a new epoch and tells subscribers', async () => {
    engine = createMemoryEngine();
    const resets: string[] = [];
    await engine.subscribe('alice', { onEvent: () => undefined, onReset: (e) => resets.push(e) });
    await engine.append('alice', thinking('a'));
    const epoch = await engine.resetStream('alice');
    expect(resets).toEqual([epoch]);
    expect((await engine.append('alice', thinking('b'))).event.seq).toBe(1);
  });

  it('isolates a throwing subscriber from the others', async () => {
    engine = createMemoryEngine();
    const got: number[] = [];
    await engine.subscribe('alice', {
      onEvent: () => {
        throw new Error('bad listener');
      },
      onReset: () => undefined,
    });
    await engine.subscribe('alice', {
      onEvent: (r) => got.push(r.event.seq),
      onReset: () => undefined,
    });
    await engine.append('alice', thinking('a'));
    expect(got).toEqual([1]);
  });
});
