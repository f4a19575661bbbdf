import { randomUUID } from 'node:crypto';
import { type Agent, createUserContext, createWebSocketHub, type WebSocketHub } from '@app/ws-core';
import { afterEach, describe, expect, it } from 'vitest';
import { useRedisTestSuite } from '../test-support/redis-test-suite';
import { createRedisEngine, type RedisStreamEngine } from './redis-engine';

// Redis leases are per user, so two users may claim the same run id; a node runs one run of an
// id at a time, so a chat that prefers an id another user runs here gets a new one.
const redis = useRedisTestSuite();
const opened: { hub: WebSocketHub; engine: RedisStreamEngine }[] = [];

const waits: Agent = {
  name: 'waits',
  description: 'waits until cancelled',
  run: ({ signal }) =>
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
};

async function node(serverId: string): Promise<WebSocketHub> {
  const engine = createRedisEngine({ url: redis.url, keyPrefix: redis.prefix, serverId });
  await engine.ready();
  const hub = createWebSocketHub({ serverId, engine, agents: [waits], leaseTtlMs: 5000 });
  opened.push({ hub, engine });
  return hub;
}

afterEach(async () => {
  for (const { hub, engine } of opened.splice(0)) {
    await hub.close();
    await engine.close();
  }
});

describe('chat with a preferred run id over Redis', () => {
  it('gets a new id when another user runs that id on this node; on another node it is free', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const runId = `shared-${randomUUID()}`;
    const user = (name: string) => createUserContext({ userId: `${name}_${randomUUID()}` });
    const [alice, bob, carol] = [user('alice'), user('bob'), user('carol')];
    expect((await a.getManager(alice).chat({ text: 'hi', runId })).runId).toBe(runId);
    expect((await a.getManager(bob).chat({ text: 'hi', runId })).runId).toMatch(/^r_/);
    expect(a.stats().activeRuns).toBe(2);
    // Another node holds no run of that id: carol's run takes it (leases are per user).
    expect((await b.getManager(carol).chat({ text: 'hi', runId })).runId).toBe(runId);
    // Alice's own second chat with it: her run is in flight, so a new id.
    expect((await b.getManager(alice).chat({ text: 'hi', runId })).runId).toMatch(/^r_/);
    expect(await a.getManager(alice).cancelRun(runId)).toBe(true);
  });
});
