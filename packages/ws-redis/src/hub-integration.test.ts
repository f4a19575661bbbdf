import { randomUUID } from 'node:crypto';
import { type Agent, createUserContext, createWebSocketHub, type WebSocketHub } from '@app/ws-core';
import { FakeTransport } from '@app/ws-core/testing';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisRateLimiterStore } from './rate-limiter-store';
import { useRedisTestSuite } from '../test-support/redis-test-suite';
import { waitFor } from '../test-support/stream-fixtures';
import { createRedisEngine, type RedisStreamEngine } from './redis-engine';

// ws-core's hub on two "nodes" that share only Redis: what chat-server runs in multi-node mode.
const redis = useRedisTestSuite();
const { prefix } = redis;
const opened: { hub: WebSocketHub; engine: RedisStreamEngine }[] = [];

/** Thinks, uses a tool, answers; or, for "wait", waits until cancelled. */
const echo: Agent = {
  name: 'echo',
  description: 'echoes',
  async run({ input, emitter, signal }) {
    if (input === 'wait') {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      return;
    }
    await emitter.thinking('thinking');
    const toolCallId = await emitter.toolExecuting({
      toolName: 'calc',
      args: { expression: '1+1' },
    });
    await emitter.toolCompleted({ toolCallId, ok: true, result: 2 });
    return { response: `echo: ${input}` };
  },
};

async function node(serverId: string): Promise<WebSocketHub> {
  const engine = createRedisEngine({ url: redis.url, keyPrefix: prefix, serverId });
  await engine.ready();
  expect(engine.healthy).toBe(true);
  const hub = createWebSocketHub({
    serverId,
    engine,
    agents: [echo],
    leaseTtlMs: 5000,
    rateLimit: { store: createRedisRateLimiterStore(engine.commandClient, { keyPrefix: prefix }) },
  });
  opened.push({ hub, engine });
  return hub;
}

afterEach(async () => {
  for (const { hub, engine } of opened.splice(0)) {
    await hub.close();
    await engine.close();
  }
});

describe('ws-core hubs on two nodes over the Redis engine', () => {
  it('deliver a run started on one node to the user’s connection on the other, in order', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const context = createUserContext({ userId: `u_${randomUUID()}` });
    const onB = new FakeTransport();
    await b.getManager(context).connect(onB, { heartbeatMs: 25_000 });
    const ack = await a.getManager(context).chat({ text: 'hi' });
    await waitFor(
      () => onB.events.some((e) => e.type === 'agent_completed'),
      5000,
      'terminal on b',
    );
    const events = onB.events;
    expect(events.map((e) => e.type)).toEqual([
      'user_message',
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => e.runId === ack.runId)).toBe(true);
    expect(events[5]).toMatchObject({ payload: { status: 'success', response: 'echo: hi' } });
  });

  it('cancel, from one node, a run owned by the other', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const context = createUserContext({ userId: `u_${randomUUID()}` });
    const onB = new FakeTransport();
    await b.getManager(context).connect(onB, { heartbeatMs: 25_000 });
    const { runId } = await a.getManager(context).chat({ text: 'wait' });
    await waitFor(() => onB.events.some((e) => e.type === 'agent_started'), 5000, 'start on b');
    expect(await b.getManager(context).cancelRun(runId)).toBe(true);
    await waitFor(() => onB.events.some((e) => e.type === 'agent_completed'), 5000, 'cancel on a');
    expect(onB.events.at(-1)).toMatchObject({ runId, payload: { status: 'cancelled' } });
  });

  it('close the user’s connections with 1011 when Redis loses the stream', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const userId = `u_${randomUUID()}`;
    const context = createUserContext({ userId });
    const onB = new FakeTransport();
    await b.getManager(context).connect(onB, { heartbeatMs: 25_000 });
    await a.getManager(context).chat({ text: 'first' });
    await waitFor(() => onB.events.some((e) => e.type === 'agent_completed'), 5000, 'first run');
    const admin = createClient({ url: redis.url });
    await admin.connect();
    const engine = opened[0]!.engine;
    await admin.del([engine.keys.meta(userId), engine.keys.events(userId)]);
    admin.destroy();
    await a.getManager(context).chat({ text: 'second' });
    await waitFor(() => onB.closeCode !== undefined, 5000, 'close on b');
    expect(onB.closeCode).toBe(1011);
  });
});
