import type { ChatEvent } from '@app/ws-protocol';
import { describe, expect, it, vi } from 'vitest';
import { agent, flush, runEvents, user, useHubs } from '../test/hub-fixture';
import { RunStateError, RunTooLargeError } from './errors';
import { FakeTransport } from './testing/fake-transport';

/**
 * What a run's events and logs say about how it went: the tool_completed payload, each terminal
 * error's code and message, the refusals after the end and the log line of each failure. The
 * other run-supervisor tests check that runs end once; these check that they say why.
 */
const hubs = useHubs();

async function connected(hub: ReturnType<typeof hubs.make>, userId = 'alice') {
  const transport = new FakeTransport();
  await hub.getManager(user(userId)).connect(transport, { heartbeatMs: 1, sendWelcome: false });
  return transport;
}

function toolCompletions(events: readonly ChatEvent[]): ChatEvent<'tool_completed'>[] {
  return events.filter((e): e is ChatEvent<'tool_completed'> => e.type === 'tool_completed');
}

function completions(events: readonly ChatEvent[]): ChatEvent<'agent_completed'>[] {
  return events.filter((e): e is ChatEvent<'agent_completed'> => e.type === 'agent_completed');
}

function warnings(message: string) {
  return hubs.logs().entries.filter((e) => e.severity === 'WARNING' && e.message === message);
}

describe('tool_completed says which call, how long it took, and only the outcome it had', () => {
  it('a result without error, an error without result, neither when there was none', async () => {
    const hub = hubs.make({
      agents: [
        agent('tools', async ({ emitter }) => {
          const slow = await emitter.toolExecuting({ toolName: 'slow', args: {} });
          await new Promise((resolve) => setTimeout(resolve, 30));
          await emitter.toolCompleted({ toolCallId: slow, ok: true, result: 3 });
          const broken = await emitter.toolExecuting({ toolName: 'broken', args: { a: 1 } });
          await emitter.toolCompleted({
            toolCallId: broken,
            ok: false,
            error: { code: 'tool_failed', message: 'it broke' },
          });
          const quiet = await emitter.toolExecuting({ toolName: 'quiet', args: {} });
          await emitter.toolCompleted({ toolCallId: quiet, ok: true });
        }),
      ],
    });
    const transport = await connected(hub);
    const { runId } = await hub.getManager(user('alice')).chat({ text: 'x' });
    await vi.waitFor(
      () => expect(completions(runEvents(transport.events, runId))).toHaveLength(1),
      { timeout: 20_000, interval: 20 },
    );
    const [slow, broken, quiet] = toolCompletions(runEvents(transport.events, runId));
    expect(Object.keys(slow!.payload).sort()).toEqual(
      ['durationMs', 'ok', 'result', 'toolCallId', 'toolName'].sort(),
    );
    expect(slow!.payload).toMatchObject({ toolName: 'slow', ok: true, result: 3 });
    // Measured from its tool_executing: at least the 30 ms the tool slept, never an epoch sum.
    expect(slow!.payload.durationMs).toBeGreaterThanOrEqual(25);
    expect(slow!.payload.durationMs).toBeLessThan(60_000);
    expect(Object.keys(broken!.payload).sort()).toEqual(
      ['durationMs', 'error', 'ok', 'toolCallId', 'toolName'].sort(),
    );
    expect(broken!.payload).toMatchObject({
      toolName: 'broken',
      ok: false,
      error: { code: 'tool_failed', message: 'it broke' },
    });
    expect(Object.keys(quiet!.payload).sort()).toEqual(
      ['durationMs', 'ok', 'toolCallId', 'toolName'].sort(),
    );
    const [completed] = completions(runEvents(transport.events, runId));
    expect(completed!.payload.durationMs).toBeGreaterThanOrEqual(25);
    expect(completed!.payload.durationMs).toBeLessThan(60_000);
  });
});

describe('each way a run fails has its code, message and one log line', () => {
  it('an agent that throws: agent_error, "The agent failed unexpectedly.", the signal aborted', async () => {
    let signal: AbortSignal | undefined;
    const hub = hubs.make({
      agents: [
        agent('crash', async (ctx) => {
          signal = ctx.signal;
          await ctx.emitter.thinking('about to crash');
          throw new Error('boom');
        }),
      ],
    });
    const transport = await connected(hub);
    const { runId } = await hub.getManager(user('alice')).chat({ text: 'crash agent' });
    await flush();
    const [end] = completions(runEvents(transport.events, runId));
    expect(end!.payload).toEqual({
      status: 'error',
      error: { code: 'agent_error', message: 'The agent failed unexpectedly.' },
      durationMs: expect.any(Number),
    });
    expect(signal!.aborted).toBe(true);
    expect(String((signal!.reason as Error).message)).toBe(`Run ${runId} agent_error`);
    const logged = warnings('Agent failed; ending the run with error');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ agent: 'crash', error: 'boom', runId });
  });

  it('a stall: stall_timeout naming the silence, one log line with the bound', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({
      stallTimeoutMs: 1000,
      agents: [agent('silent', () => new Promise(() => undefined))],
    });
    const transport = await connected(hub);
    const { runId } = await hub.getManager(user('alice')).chat({ text: 'x' });
    await vi.advanceTimersByTimeAsync(1100);
    await flush();
    const [end] = completions(runEvents(transport.events, runId));
    expect(end!.payload).toMatchObject({
      status: 'timeout',
      error: { code: 'stall_timeout', message: 'The agent sent no event for 1000 ms.' },
    });
    const logged = warnings('Run stalled; ending it with timeout');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ stallTimeoutMs: 1000 });
  });

  it('past a bound: run_too_large naming the bound and its limit, logged once', async () => {
    const hub = hubs.make({ limits: { maxRunEvents: 4 } });
    await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    await emitter.delta('w1 ');
    await emitter.delta('w2 ');
    expect(() => emitter.delta('w3 ')).toThrow(RunTooLargeError);
    expect(await emitter.finished).toMatchObject({
      status: 'error',
      error: { code: 'run_too_large', message: 'The run went past maxRunEvents (4).' },
    });
    expect(String((emitter.signal.reason as Error).message)).toBe(`Run ${emitter.runId} too_large`);
    const logged = warnings('Run went past its bound; ending it with run_too_large');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ bound: 'maxRunEvents', limit: 4 });

    const bytes = hubs.make({ limits: { maxRunBytes: 2000 } });
    await connected(bytes);
    const big = await bytes.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    expect(() => big.delta('x'.repeat(3000))).toThrow(RunTooLargeError);
    expect(await big.finished).toMatchObject({
      error: { code: 'run_too_large', message: 'The run went past maxRunBytes (2000).' },
    });
  });

  it('a lost lease: node_lost, "taken over by another node", aborted with that code, logged with the reason', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({ leaseTtlMs: 3000 });
    await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    expect(hub.stats().activeRuns).toBe(1);
    hub.engine.renewRun = () => Promise.resolve(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await emitter.finished).toMatchObject({
      status: 'error',
      error: { code: 'node_lost', message: 'The run was taken over by another node.' },
    });
    expect(String((emitter.signal.reason as Error).message)).toBe(
      `Run ${emitter.runId} stopped: node_lost`,
    );
    const logged = warnings('Run lost its lease; stopping it here');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ reason: 'lease not renewed' });
    expect(hub.monitor.snapshot()).toMatchObject({ activeRuns: 0 });
  });
});

describe('after its end a run refuses everything, saying which run and what', () => {
  it('events and a second complete throw RunStateError naming the run and the event', async () => {
    const hub = hubs.make();
    await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    expect(() => emitter.toolCompleted({ toolCallId: 'tc_unknown', ok: true })).toThrow(
      new RegExp(`^Run ${emitter.runId}: `),
    );
    await emitter.complete({ response: 'done' });
    expect(() => emitter.delta('late')).toThrow(
      new RunStateError(`Run ${emitter.runId} has ended; agent_response_delta refused.`),
    );
    expect(() => emitter.complete({ response: 'again' })).toThrow(
      new RunStateError(`Run ${emitter.runId} has ended; agent_completed refused.`),
    );
    expect(emitter.signal.aborted).toBe(false);
    expect(hub.monitor.snapshot()).toMatchObject({
      activeRuns: 0,
      runsByStatus: { success: 1 },
    });
  });
});
