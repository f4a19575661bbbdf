import type { AgentCompletedPayload, ChatEvent } from '@app/ws-protocol';
import { describe, expect, it, vi } from 'vitest';
import { agent, flush, runEvents, user, useHubs } from '../test/hub-fixture';
import {
  EngineUnavailableError,
  EventTooLargeError,
  RateLimitedError,
  RunStateError,
  TooManyRunsError,
  wireErrorOf,
} from './errors';
import type { RunEmitter } from './run-emitter';
import { FakeTransport } from './testing/fake-transport';

const hubs = useHubs();

async function connected(hub: ReturnType<typeof hubs.make>, userId = 'alice') {
  const transport = new FakeTransport();
  await hub.getManager(user(userId)).connect(transport, { heartbeatMs: 1, sendWelcome: false });
  return transport;
}

function terminal(events: readonly ChatEvent[]): ChatEvent<'agent_completed'>[] {
  return events.filter((e): e is ChatEvent<'agent_completed'> => e.type === 'agent_completed');
}

describe('runs end with exactly one agent_completed', () => {
  it('success: the agent’s events in order, then its own complete', async () => {
    const hub = hubs.make({
      agents: [
        agent('calc', async ({ emitter }) => {
          await emitter.thinking('parsing');
          const id = await emitter.toolExecuting({
            toolName: 'calculator',
            args: { expression: '1+2' },
          });
          await emitter.toolCompleted({ toolCallId: id, ok: true, result: 3 });
          await emitter.delta('3');
          await emitter.complete({ response: '3' });
        }),
      ],
    });
    const transport = await connected(hub);
    const { runId, threadId } = await hub.getManager(user('alice')).chat({ text: 'what is 1+2?' });
    await flush();
    const events = runEvents(transport.events, runId);
    expect(events.map((e) => e.type)).toEqual([
      'user_message',
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_response_delta',
      'agent_completed',
    ]);
    expect(events.every((e) => e.threadId === threadId)).toBe(true);
    expect(events[0]!.payload).toEqual({
      messageId: expect.stringMatching(/^m_/),
      text: 'what is 1+2?',
    });
    expect(events[1]!.payload).toEqual({ agentName: 'calc', input: 'what is 1+2?' });
    expect(events[3]!.payload).toEqual({
      toolCallId: expect.stringMatching(/^tc_/),
      toolName: 'calculator',
      args: { expression: '1+2' },
    });
    expect(events[4]!.payload).toMatchObject({ toolName: 'calculator', ok: true, result: 3 });
    expect(events[6]!.payload).toEqual({
      status: 'success',
      response: '3',
      durationMs: expect.any(Number),
    });
    expect(hub.monitor.snapshot()).toMatchObject({
      activeRuns: 0,
      runsByStatus: { success: 1 },
      orderViolations: 0,
      firstEvent: { count: 1 },
      duration: { count: 1 },
    });
    expect(hub.stats().activeRuns).toBe(0);
  });

  it('success without complete(): the returned response, else the concatenated deltas', async () => {
    const hub = hubs.make({
      agents: [
        agent('returns', async () => ({ response: 'returned' })),
        agent('streams', async ({ emitter }) => {
          await emitter.delta('Hel');
          await emitter.delta('lo');
        }),
      ],
    });
    const transport = await connected(hub);
    const manager = hub.getManager(user('alice'));
    await manager.chat({ text: 'a', agent: 'returns' });
    await manager.chat({ text: 'b', agent: 'streams' });
    await flush();
    expect(terminal(transport.events).map((e) => e.payload.response)).toEqual([
      'returned',
      'Hello',
    ]);
  });

  it('agent throws: agent_completed error agent_error, logged', async () => {
    const hub = hubs.make({
      agents: [
        agent('crash', async ({ emitter }) => {
          await emitter.thinking('about to crash');
          throw new Error('boom');
        }),
      ],
    });
    const transport = await connected(hub);
    const { runId } = await hub.getManager(user('alice')).chat({ text: 'crash agent' });
    await flush();
    const ends = terminal(runEvents(transport.events, runId));
    expect(ends).toHaveLength(1);
    expect(ends[0]!.payload).toMatchObject({ status: 'error', error: { code: 'agent_error' } });
    expect(hubs.logs().entries.some((e) => e.message.includes('Agent failed'))).toBe(true);
  });

  it('an agent that throws synchronously also ends with error', async () => {
    const hub = hubs.make({
      agents: [
        {
          name: 'sync',
          description: '',
          run: () => {
            throw new Error('sync');
          },
        },
      ],
    });
    const transport = await connected(hub);
    await hub.getManager(user('alice')).chat({ text: 'x' });
    await flush();
    expect(terminal(transport.events).map((e) => e.payload.status)).toEqual(['error']);
  });

  it('stall: timeout after stallTimeoutMs of silence, the signal aborts, later calls refused', async () => {
    vi.useFakeTimers();
    let ctxSignal: AbortSignal | undefined;
    let emitterRef: RunEmitter | undefined;
    const hub = hubs.make({
      stallTimeoutMs: 1000,
      agents: [
        agent('silent', async ({ emitter, signal }) => {
          ctxSignal = signal;
          emitterRef = emitter;
          await emitter.thinking('one');
          await new Promise(() => undefined); // never returns
        }),
      ],
    });
    const transport = await connected(hub);
    const { runId } = await hub.getManager(user('alice')).chat({ text: 'x' });
    await flush();
    await vi.advanceTimersByTimeAsync(600);
    await emitterRef!.thinking('still here'); // resets the stall clock
    await vi.advanceTimersByTimeAsync(900);
    expect(terminal(transport.events)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    const ends = terminal(runEvents(transport.events, runId));
    expect(ends.map((e) => e.payload)).toEqual([
      {
        status: 'timeout',
        error: { code: 'stall_timeout', message: expect.any(String) },
        durationMs: 1600,
      },
    ]);
    expect(ctxSignal!.aborted).toBe(true);
    expect(() => emitterRef!.thinking('too late')).toThrow(RunStateError);
    expect(hub.monitor.snapshot()).toMatchObject({ stalls: 1, runsByStatus: { timeout: 1 } });
  });

  it('cancel: agent_completed cancelled, signal aborts; unknown or finished runs are false', async () => {
    const hub = hubs.make({
      agents: [
        agent(
          'waits',
          ({ signal }) =>
            new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
        ),
      ],
    });
    const transport = await connected(hub);
    const manager = hub.getManager(user('alice'));
    const { runId } = await manager.chat({ text: 'x' });
    expect(await hub.getManager(user('bob')).cancelRun(runId)).toBe(false);
    expect(await manager.cancelRun(runId)).toBe(true);
    await flush();
    expect(terminal(runEvents(transport.events, runId)).map((e) => e.payload.status)).toEqual([
      'cancelled',
    ]);
    expect(await manager.cancelRun(runId)).toBe(false);
    expect(await manager.cancelRun('r_unknown')).toBe(false);
    expect(manager.activeRunCount).toBe(0);
  });

  it('startRun: the caller drives the run; illegal orders throw synchronously and emit nothing', async () => {
    const hub = hubs.make();
    const transport = await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'manual', input: 'go' });
    expect(() => emitter.toolCompleted({ toolCallId: 'tc_none', ok: true })).toThrow(RunStateError);
    const id = await emitter.toolExecuting({ toolName: 'clock', args: {}, toolCallId: 'tc_1' });
    expect(id).toBe('tc_1');
    expect(() =>
      emitter.toolExecuting({ toolName: 'clock', args: {}, toolCallId: 'tc_1' }),
    ).toThrow(RunStateError);
    await emitter.toolCompleted({
      toolCallId: 'tc_1',
      ok: false,
      error: { code: 'x', message: 'y' },
    });
    expect(() => emitter.toolCompleted({ toolCallId: 'tc_1', ok: true })).toThrow(RunStateError);
    await emitter.complete({ status: 'success', response: 'done' });
    expect(() => emitter.complete()).toThrow(RunStateError);
    expect(() => emitter.delta('late')).toThrow(RunStateError);
    expect(() => emitter.thinking('late')).toThrow(RunStateError);
    expect(transport.events.map((e) => e.type)).toEqual([
      'agent_started',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
    expect(await emitter.finished).toMatchObject({ status: 'success', response: 'done' });
    expect(hub.monitor.snapshot().orderViolations).toBe(0);
  });

  it('every run ends with exactly one agent_completed even when complete races cancel', async () => {
    const hub = hubs.make();
    const transport = await connected(hub);
    const manager = hub.getManager(user('alice'));
    const emitter = await manager.startRun({ agent: 'manual', input: 'go' });
    const completing = emitter.complete({ response: 'mine' });
    expect(await manager.cancelRun(emitter.runId)).toBe(false);
    await completing;
    expect(terminal(transport.events).map((e) => e.payload.status)).toEqual(['success']);
  });
});

describe('limits', () => {
  it('at most maxRunsPerUser concurrent runs (too_many_runs), per user', async () => {
    const hub = hubs.make({ limits: { maxRunsPerUser: 3 } });
    const alice = hub.getManager(user('alice'));
    const runs = await Promise.all([1, 2, 3].map(() => alice.startRun({ agent: 'm', input: '' })));
    const refused = alice.startRun({ agent: 'm', input: '' });
    await expect(refused).rejects.toBeInstanceOf(TooManyRunsError);
    await expect(refused).rejects.toMatchObject({
      code: 'WS_TOO_MANY_RUNS',
      wireCode: 'too_many_runs',
    });
    await expect(
      hub.getManager(user('bob')).startRun({ agent: 'm', input: '' }),
    ).resolves.toBeDefined();
    await runs[0]!.complete();
    await expect(alice.startRun({ agent: 'm', input: '' })).resolves.toBeDefined();
  });

  it('an event over maxEventBytes throws EventTooLargeError at the emitter and appends nothing', async () => {
    const hub = hubs.make({ limits: { maxEventBytes: 1000 } });
    const transport = await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    expect(() => emitter.delta('é'.repeat(600))).toThrow(EventTooLargeError);
    expect(() => emitter.delta('x'.repeat(2000))).toThrow(
      expect.objectContaining({ code: 'WS_EVENT_TOO_LARGE' }),
    );
    await emitter.delta('x'.repeat(700)); // below the bound, despite the multi-byte upper estimate
    expect(transport.events.map((e) => e.type)).toEqual(['agent_started', 'agent_response_delta']);
    for (const text of transport.sent) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
  });

  it('the default maxEventBytes is the protocol’s 64 KiB', async () => {
    const hub = hubs.make();
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    expect(() => emitter.delta('x'.repeat(65_536))).toThrow(EventTooLargeError);
    await emitter.delta('x'.repeat(65_000));
  });
});

describe('chat', () => {
  it('is idempotent per clientMessageId: same ack, no second run; ack precedes the events', async () => {
    let runs = 0;
    const hub = hubs.make({
      agents: [
        agent('count', async () => {
          runs++;
          return { response: 'ok' };
        }),
      ],
    });
    const transport = await connected(hub);
    const manager = hub.getManager(user('alice'));
    const order: string[] = [];
    const onAccepted = (ack: { runId: string }): void => {
      order.push(`ack:${ack.runId}`);
      order.push(`events-before-ack:${transport.events.length}`);
    };
    const [first, again] = await Promise.all([
      manager.chat({ text: 'hi', clientMessageId: 7, onAccepted }),
      manager.chat({ text: 'hi', clientMessageId: 7, onAccepted }),
    ]);
    const later = await manager.chat({ text: 'hi', clientMessageId: 7 });
    expect(again).toEqual(first);
    expect(later).toEqual(first);
    const other = await manager.chat({ text: 'hi', clientMessageId: '7' });
    expect(other.runId).not.toBe(first.runId);
    await flush();
    expect(runs).toBe(2);
    expect(order[1]).toBe('events-before-ack:0');
  });

  it('forgets ids after chatIdempotencyMs, and keeps them across manager eviction', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({
      idleTtlMs: 1000,
      chatIdempotencyMs: 5000,
      agents: [agent('a', async () => undefined)],
    });
    const first = await hub.getManager(user('alice')).chat({ text: 'hi', clientMessageId: 'm1' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(hub.stats().managers).toBe(0);
    expect(await hub.getManager(user('alice')).chat({ text: 'hi', clientMessageId: 'm1' })).toEqual(
      first,
    );
    await vi.advanceTimersByTimeAsync(4000);
    const fresh = await hub.getManager(user('alice')).chat({ text: 'hi', clientMessageId: 'm1' });
    expect(fresh.runId).not.toBe(first.runId);
  });

  it('refuses unknown agents and invalid text; uses the given threadId', async () => {
    const hub = hubs.make({ agents: [agent('a', async () => undefined)] });
    const manager = hub.getManager(user('alice'));
    await expect(manager.chat({ text: 'x', agent: 'nope' })).rejects.toMatchObject({
      code: 'WS_UNKNOWN_AGENT',
      wireCode: 'unknown_agent',
    });
    await expect(manager.chat({ text: '' })).rejects.toMatchObject({ code: 'WS_INVALID_INPUT' });
    await expect(manager.chat({ text: 'x'.repeat(16_385) })).rejects.toMatchObject({
      code: 'WS_INVALID_INPUT',
    });
    await expect(manager.chat({ text: '😀'.repeat(16_000) })).resolves.toBeDefined();
    // 16384 four-byte characters are valid text but make an event over 64 KiB: refused upfront.
    const huge = manager.chat({ text: '😀'.repeat(16_384) });
    await expect(huge).rejects.toMatchObject({
      code: 'WS_INVALID_INPUT',
      wireCode: 'invalid_message',
    });
    expect((await manager.chat({ text: 'x', threadId: 't_mine' })).threadId).toBe('t_mine');
    const noAgents = hubs.make();
    await expect(noAgents.getManager(user('alice')).chat({ text: 'x' })).rejects.toMatchObject({
      code: 'WS_UNKNOWN_AGENT',
    });
  });
});

describe('hooks', () => {
  it('awaits onUserMessage and beforeRunCompleted with the run’s details', async () => {
    const calls: string[] = [];
    let completion: { payload: AgentCompletedPayload; tools: readonly unknown[] } | undefined;
    const hub = hubs.make({
      agents: [
        agent('t', async ({ emitter }) => {
          const id = await emitter.toolExecuting({ toolName: 'clock', args: { tz: 'UTC' } });
          await emitter.toolCompleted({ toolCallId: id, ok: true, result: 'noon' });
          return { response: 'noon' };
        }),
      ],
      hooks: {
        onUserMessage: async (info) => {
          calls.push(`user:${info.text}:${info.messageId.slice(0, 2)}`);
        },
        beforeRunCompleted: async (info) => {
          calls.push(`completed:${info.payload.status}`);
          completion = info;
        },
      },
    });
    const transport = await connected(hub);
    await hub.getManager(user('alice')).chat({ text: 'time?' });
    await flush();
    expect(calls).toEqual(['user:time?:m_', 'completed:success']);
    expect(completion!.tools).toEqual([
      {
        toolCallId: expect.any(String),
        toolName: 'clock',
        args: { tz: 'UTC' },
        ok: true,
        result: 'noon',
        durationMs: expect.any(Number),
      },
    ]);
    expect(terminal(transport.events)[0]!.payload).toEqual(completion!.payload);
  });

  it('emits the terminal event anyway past hookTimeoutMs or on failure, logging once', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({
      hookTimeoutMs: 2000,
      agents: [agent('t', async () => ({ response: 'r' }))],
      hooks: {
        onUserMessage: () => Promise.reject(new Error('db down')),
        beforeRunCompleted: () => new Promise(() => undefined),
      },
    });
    const transport = await connected(hub);
    const { runId } = await hub.getManager(user('alice')).chat({ text: 'x' });
    await flush();
    expect(runEvents(transport.events, runId).map((e) => e.type)).toEqual([
      'user_message',
      'agent_started',
    ]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(terminal(transport.events)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(terminal(transport.events)).toHaveLength(1);
    const hookLogs = hubs.logs().entries.filter((e) => e.message.startsWith('Hook '));
    expect(hookLogs.map((e) => e.message)).toEqual([
      'Hook onUserMessage failed; going on without it',
      'Hook beforeRunCompleted exceeded its bound; going on without it',
    ]);
  });
});

describe('admitChat', () => {
  it('refuses a chat by rejecting: chat() throws its error, nothing is appended or started', async () => {
    const seen: unknown[] = [];
    const refusal = new RateLimitedError('too many new threads', 1234);
    const hub = hubs.make({
      agents: [agent('t', async () => ({ response: 'r' }))],
      hooks: {
        admitChat: async (info) => {
          seen.push(info);
          if (!info.threadIdGiven) throw refusal;
        },
      },
    });
    const transport = await connected(hub);
    const manager = hub.getManager(user('alice'));
    await expect(manager.chat({ text: 'new thread' })).rejects.toBe(refusal);
    expect(wireErrorOf(refusal)).toEqual({
      code: 'rate_limited',
      message: 'too many new threads',
      retryAfterMs: 1234,
    });
    await flush();
    expect(transport.events).toEqual([]);
    expect(hub.stats().activeRuns).toBe(0);
    const { threadId } = await manager.chat({ text: 'old thread', threadId: 't_old' });
    expect(threadId).toBe('t_old');
    expect(seen).toEqual([
      { userId: 'alice', threadId: expect.stringMatching(/^t_/), threadIdGiven: false },
      { userId: 'alice', threadId: 't_old', threadIdGiven: true },
    ]);
  });

  it('gives a refused chat’s run slot and id back, so the same id can be sent again', async () => {
    let refuse = true;
    const hub = hubs.make({
      limits: { maxRunsPerUser: 1 },
      agents: [agent('t', async () => ({ response: 'r' }))],
      hooks: {
        admitChat: async () => {
          if (refuse) throw new RateLimitedError('not now', 10);
        },
      },
    });
    const transport = await connected(hub);
    const manager = hub.getManager(user('alice'));
    await expect(manager.chat({ text: 'x', clientMessageId: 'm1' })).rejects.toMatchObject({
      wireCode: 'rate_limited',
    });
    refuse = false;
    const ack = await manager.chat({ text: 'x', clientMessageId: 'm1' });
    expect(await manager.chat({ text: 'x', clientMessageId: 'm1' })).toEqual(ack);
    await flush();
    // The resend started the run (its id was not answered with the refused run's ack).
    expect(transport.events.filter((e) => e.type === 'agent_completed')).toEqual([
      expect.objectContaining({
        runId: ack.runId,
        payload: expect.objectContaining({ status: 'success' }),
      }),
    ]);
  });

  it('admits the chat past hookTimeoutMs, logging once', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({
      hookTimeoutMs: 2000,
      agents: [agent('t', async () => ({ response: 'r' }))],
      hooks: { admitChat: () => new Promise(() => undefined) },
    });
    await connected(hub);
    const chat = hub.getManager(user('alice')).chat({ text: 'x' });
    await vi.advanceTimersByTimeAsync(2000);
    await expect(chat).resolves.toMatchObject({ runId: expect.stringMatching(/^r_/) });
    const logs = hubs.logs().entries.filter((e) => e.message.startsWith('Hook admitChat'));
    expect(logs).toHaveLength(1);
  });
});

describe('cancel across nodes', () => {
  it('publishes a cancel for a run owned by another node; the owner cancels it', async () => {
    const nodeA = hubs.make({ serverId: 'node-a' });
    const nodeB = hubs.make({ serverId: 'node-b', engine: nodeA.engine });
    const transport = await connected(nodeA);
    const emitter = await nodeA.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    expect(await nodeB.getManager(user('bob')).cancelRun(emitter.runId)).toBe(false);
    expect(await nodeB.getManager(user('alice')).cancelRun(emitter.runId)).toBe(true);
    await flush();
    expect(terminal(transport.events).map((e) => e.payload.status)).toEqual(['cancelled']);
    expect(emitter.signal.aborted).toBe(true);
  });
});

describe('leases and logging', () => {
  it('a run whose lease is lost stops here without a terminal event (another node ends it)', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({ leaseTtlMs: 3000 });
    const transport = await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    expect(await hub.engine.findRun('alice', emitter.runId)).toEqual({ ownerId: 'node-test' });
    // Another node took the run over: this node's lease can no longer be renewed.
    hub.engine.renewRun = () => Promise.resolve(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(emitter.signal.aborted).toBe(true);
    expect(await emitter.finished).toMatchObject({ status: 'error', error: { code: 'node_lost' } });
    expect(() => emitter.thinking('late')).toThrow(RunStateError);
    expect(terminal(transport.events)).toHaveLength(0);
    expect(hub.stats().activeRuns).toBe(0);
  });

  it('admits runs with their thread, so a takeover can end them before their first event', async () => {
    const hub = hubs.make({ agents: [agent('a', () => Promise.resolve())] });
    const admit = vi.spyOn(hub.engine, 'admitRun');
    const manager = hub.getManager(user('alice'));
    const chat = await manager.chat({ text: 'hi', threadId: 't_chat', clientMessageId: 'm1' });
    const emitter = await manager.startRun({ agent: 'm', input: '', threadId: 't_started' });
    expect(admit.mock.calls.map(([a]) => a)).toEqual([
      expect.objectContaining({
        runId: chat.runId,
        threadId: 't_chat',
        agentName: 'a',
        chatId: 'm1',
        maxRuns: 3,
        chatIdTtlMs: 300_000,
      }),
      expect.objectContaining({ runId: emitter.runId, threadId: 't_started', agentName: 'm' }),
    ]);
    await emitter.complete();
  });

  it('logs failing lease renewals once per state change, not per lease per tick', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({ leaseTtlMs: 3000 }); // renewed every 1000 ms
    await connected(hub, 'alice');
    await connected(hub, 'bob');
    const manager = hub.getManager(user('alice'));
    const emitters = [
      await manager.startRun({ agent: 'm', input: '' }),
      await manager.startRun({ agent: 'm', input: '' }),
    ];
    const { engine } = hub;
    const [renewRun, renewSlot] = [engine.renewRun.bind(engine), engine.renewConnectionSlot];
    let down = true;
    let failures = 0;
    const outage = (): Promise<never> => {
      failures++;
      return Promise.reject(new EngineUnavailableError('backend down', 2000));
    };
    engine.renewRun = (lease, ttlMs) => (down ? outage() : renewRun(lease, ttlMs));
    engine.renewConnectionSlot = (...args) => (down ? outage() : renewSlot.apply(engine, args));
    const renewalLines = () =>
      hubs
        .logs()
        .entries.filter((e) => e.message.startsWith('Lease renewals'))
        .map((e) => [e.severity.toLowerCase(), e.message]);

    await vi.advanceTimersByTimeAsync(5000); // 5 ticks × (2 runs + 2 connections)
    expect(failures).toBe(20);
    expect(renewalLines()).toEqual([
      ['warning', 'Lease renewals are failing; logged again when they succeed'],
    ]);
    expect(emitters.every((e) => !e.signal.aborted)).toBe(true); // an outage is not a lost lease

    down = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(renewalLines()).toEqual([
      ['warning', 'Lease renewals are failing; logged again when they succeed'],
      ['info', 'Lease renewals succeed again'],
    ]);
    const recovery = hubs.logs().entries.find((e) => e.message === 'Lease renewals succeed again');
    expect(recovery).toMatchObject({ failedRounds: 5, failures: 20 });
    expect(hubs.logs().entries.filter((e) => /renew/i.test(e.message))).toHaveLength(2);
  });

  it('logs nothing at info or above per event', async () => {
    const hub = hubs.make();
    await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    const before = hubs.logs().entries.length;
    for (let i = 0; i < 200; i++) await emitter.delta('x');
    const perEvent = hubs.logs().entries.slice(before);
    expect(perEvent).toEqual([]);
    await emitter.complete();
    const runLogs = hubs.logs().entries.slice(before);
    expect(runLogs.filter((e) => e.severity.toLowerCase() !== 'debug')).toEqual([]);
    expect(runLogs.every((e) => e.userId === 'alice' && e.runId === emitter.runId)).toBe(true);
  });
});
