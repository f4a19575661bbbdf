import type { ChatEvent, EventType, UnsequencedEvent } from '@app/ws-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { randomId } from '../random-id';
import { DEFAULT_RETENTION } from '../retention-settings';
import { followRun, type RunFeed, type RunFeedEnd } from '../run-feed';
import type { RetentionSettings, RunLease, StreamEngine } from '../stream-engine';
import type { StreamEngineFactory } from './stream-engine-contract';

/** Options of {@link runRunFeedContract}. */
export interface RunFeedContractOptions {
  /** How long to wait for asynchronous delivery. Default 2000 ms. */
  deliveryTimeoutMs?: number;
}

function event(type: EventType, runId: string, threadId: string, n = 0): UnsequencedEvent {
  const base = { runId, threadId, ts: new Date().toISOString() };
  switch (type) {
    case 'user_message':
      return { ...base, type, payload: { messageId: `m_${runId}`, text: 'hello' } };
    case 'agent_started':
      return { ...base, type, payload: { agentName: 'assistant', input: 'hello' } };
    case 'agent_thinking':
      return { ...base, type, payload: { text: `thought ${n}` } };
    case 'tool_executing':
      return { ...base, type, payload: { toolCallId: `c${n}`, toolName: 'calc', args: { n } } };
    case 'tool_completed':
      return {
        ...base,
        type,
        payload: { toolCallId: `c${n}`, toolName: 'calc', ok: true, result: n, durationMs: 1 },
      };
    case 'agent_response_delta':
      return { ...base, type, payload: { delta: `w${n} ` } };
    case 'agent_completed':
      return { ...base, type, payload: { status: 'success', durationMs: 1 } };
  }
}

/** A run written the way a node writes one: under its lease, terminal last. */
class TestRun {
  readonly runId = randomId('r_');
  #lease: RunLease | undefined;

  constructor(
    private readonly engine: StreamEngine,
    private readonly userId: string,
    readonly threadId: string,
  ) {}

  async claim(): Promise<this> {
    this.#lease = await this.engine.claimRun(this.userId, this.runId, 'node-a', 30_000, {
      threadId: this.threadId,
      agentName: 'assistant',
    });
    if (this.#lease === undefined) throw new Error('claim failed');
    return this;
  }

  emit(type: EventType, n = 0): Promise<unknown> {
    return this.engine.append(this.userId, event(type, this.runId, this.threadId, n), {
      lease: this.#lease!,
      terminal: type === 'agent_completed',
    });
  }

  async start(): Promise<void> {
    await this.emit('user_message');
    await this.emit('agent_started');
  }
}

interface Recording {
  readonly events: ChatEvent[];
  readonly ends: RunFeedEnd[];
}

function record(feed: RunFeed): Recording {
  const recording: Recording = { events: [], ends: [] };
  feed.start({
    onEvent: (e) => recording.events.push(e),
    onEnd: (reason) => recording.ends.push(reason),
  });
  return recording;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The behaviour of `followRun` (docs/interop.md#following-a-run) on a {@link StreamEngine}, as a
 * vitest suite: call it from a test file of the engine's package.
 */
export function runRunFeedContract(
  name: string,
  createEngine: StreamEngineFactory,
  options: RunFeedContractOptions = {},
): void {
  const timeoutMs = options.deliveryTimeoutMs ?? 2000;

  describe(`followRun contract: ${name}`, () => {
    const engines: StreamEngine[] = [];
    const feeds: RunFeed[] = [];
    const make = async (retention: Partial<RetentionSettings> = {}): Promise<StreamEngine> => {
      const engine = await createEngine({ retention: { ...DEFAULT_RETENTION, ...retention } });
      engines.push(engine);
      return engine;
    };
    const user = (): string => randomId('u_feed_');
    const follow = async (
      engine: StreamEngine,
      userId: string,
      selector: { runId: string } | { threadId: string },
    ): Promise<RunFeed> => {
      const result = await followRun(engine, userId, selector);
      if (!result.ok) throw new Error(`followRun: ${result.reason}`);
      feeds.push(result.feed);
      return result.feed;
    };

    afterEach(async () => {
      await Promise.all(feeds.splice(0).map((feed) => feed.close()));
      await Promise.all(engines.splice(0).map((engine) => engine.close()));
    });

    it('delivers a run in flight from its first event, then live to its terminal event, once each', async () => {
      const engine = await make();
      const alice = user();
      const run = await new TestRun(engine, alice, 't_1').claim();
      await run.start();
      await run.emit('agent_thinking', 1);
      const feed = await follow(engine, alice, { runId: run.runId });
      expect(feed).toMatchObject({ runId: run.runId, threadId: 't_1' });
      const seen = record(feed);
      expect(seen.events.map((e) => e.type)).toEqual([
        'user_message',
        'agent_started',
        'agent_thinking',
      ]);
      await run.emit('tool_executing', 2);
      await run.emit('tool_completed', 2);
      await run.emit('agent_response_delta', 3);
      await run.emit('agent_completed');
      await waitFor(() => seen.ends.length > 0, timeoutMs);
      expect(seen.ends).toEqual(['completed']);
      expect(seen.events.map((e) => e.type)).toEqual([
        'user_message',
        'agent_started',
        'agent_thinking',
        'tool_executing',
        'tool_completed',
        'agent_response_delta',
        'agent_completed',
      ]);
      const seqs = seen.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    });

    it('holds live events until started, and delivers nothing of other runs or users', async () => {
      const engine = await make();
      const [alice, bob] = [user(), user()];
      const run = await new TestRun(engine, alice, 't_1').claim();
      const other = await new TestRun(engine, alice, 't_1').claim();
      const bobs = await new TestRun(engine, bob, 't_1').claim();
      await run.start();
      const feed = await follow(engine, alice, { runId: run.runId });
      await other.start();
      await bobs.start();
      await run.emit('agent_thinking', 1);
      await other.emit('agent_thinking', 9);
      await run.emit('agent_completed');
      // Delivery is asynchronous on some engines: let it arrive before starting the feed.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const seen = record(feed);
      await waitFor(() => seen.ends.length > 0, timeoutMs);
      expect(seen.events.map((e) => [e.runId, e.type])).toEqual([
        [run.runId, 'user_message'],
        [run.runId, 'agent_started'],
        [run.runId, 'agent_thinking'],
        [run.runId, 'agent_completed'],
      ]);
    });

    it('loses and repeats nothing appended while the feed is being set up', async () => {
      const engine = await make();
      const alice = user();
      const run = await new TestRun(engine, alice, 't_1').claim();
      await run.start();
      // 200 deltas in flight, not awaited, while followRun subscribes and reads.
      const writing = Promise.all(
        Array.from({ length: 200 }, (_, i) => run.emit('agent_response_delta', i)),
      );
      const feed = await follow(engine, alice, { runId: run.runId });
      const seen = record(feed);
      await writing;
      await run.emit('agent_completed');
      await waitFor(() => seen.ends.length > 0, timeoutMs);
      const deltas = seen.events.filter((e) => e.type === 'agent_response_delta');
      expect(deltas.map((e) => e.payload)).toEqual(
        Array.from({ length: 200 }, (_, i) => ({ delta: `w${i} ` })),
      );
      expect(seen.events).toHaveLength(203);
    });

    it('replays a run that ended, while retained, and ends at once', async () => {
      const engine = await make();
      const alice = user();
      const run = await new TestRun(engine, alice, 't_1').claim();
      await run.start();
      await run.emit('agent_response_delta', 1);
      await run.emit('agent_completed');
      const seen = record(await follow(engine, alice, { runId: run.runId }));
      expect(seen.ends).toEqual(['completed']);
      expect(seen.events.map((e) => e.type)).toEqual([
        'user_message',
        'agent_started',
        'agent_response_delta',
        'agent_completed',
      ]);
    });

    it('selects a thread’s newest run: in flight first, else the newest ended one', async () => {
      const engine = await make();
      const alice = user();
      const older = await new TestRun(engine, alice, 't_a').claim();
      await older.start();
      await older.emit('agent_completed');
      const newer = await new TestRun(engine, alice, 't_a').claim();
      await newer.start();
      await newer.emit('agent_completed');
      const elsewhere = await new TestRun(engine, alice, 't_b').claim();
      await elsewhere.start();
      expect((await follow(engine, alice, { threadId: 't_a' })).runId).toBe(newer.runId);

      const running = await new TestRun(engine, alice, 't_a').claim();
      await running.start();
      const done = await new TestRun(engine, alice, 't_a').claim();
      await done.start();
      await done.emit('agent_completed');
      const feed = await follow(engine, alice, { threadId: 't_a' });
      expect(feed.runId).toBe(running.runId);
      const seen = record(feed);
      await running.emit('agent_completed');
      await waitFor(() => seen.ends.length > 0, timeoutMs);
      expect(seen.events.every((e) => e.runId === running.runId)).toBe(true);
      expect(seen.events.map((e) => e.type)).toEqual([
        'user_message',
        'agent_started',
        'agent_completed',
      ]);
    });

    it('finds no run of another user, an unknown id or thread, nor one whose start left retention', async () => {
      const engine = await make({ maxEvents: 4 });
      const [alice, bob] = [user(), user()];
      const run = await new TestRun(engine, alice, 't_1').claim();
      await run.start();
      expect(await followRun(engine, bob, { runId: run.runId })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      expect(await followRun(engine, bob, { threadId: 't_1' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      expect(await followRun(engine, alice, { runId: 'r_unknown' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      expect(await followRun(engine, alice, { threadId: 't_unknown' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      // In flight, the run is pinned whatever maxEvents says.
      for (let i = 0; i < 6; i++) await run.emit('agent_thinking', i);
      const whole = record(await follow(engine, alice, { runId: run.runId }));
      expect(whole.events).toHaveLength(8);
      await run.emit('agent_completed');
      await waitFor(() => whole.ends.length > 0, timeoutMs);
      // Ended, its start is trimmed: only its last events are retained.
      expect(await followRun(engine, alice, { runId: run.runId })).toEqual({
        ok: false,
        reason: 'incomplete',
      });
    });

    it('stops delivering once closed', async () => {
      const engine = await make();
      const alice = user();
      const run = await new TestRun(engine, alice, 't_1').claim();
      await run.start();
      const feed = await follow(engine, alice, { runId: run.runId });
      const seen = record(feed);
      await feed.close();
      await run.emit('agent_thinking', 1);
      await run.emit('agent_completed');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen.events.map((e) => e.type)).toEqual(['user_message', 'agent_started']);
      expect(seen.ends).toEqual([]);
    });
  });
}
