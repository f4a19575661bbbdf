/**
 * Three real chat-server processes (the built `dist/main.js`) over one Redis and one PostgreSQL
 * database: a user's tabs on different nodes, a cancel through another node, and a node killed
 * in the middle of a run (docs/scaling.md, /work/shared/spec/scale-out.md).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  type SharedRedis,
  uniquePrefix,
  useSharedRedis,
} from '../../../packages/ws-redis/test-support/redis-harness.js';
import { REDIS_LEASE_TTL_MS, REDIS_REAPER_INTERVAL_MS } from '../src/redis-mode.js';
import {
  assertBuilt,
  type ChatNode,
  clusterEnv,
  devLoginOn,
  readiness,
  startNode,
  stopAllNodes,
  waitUntil,
} from './support/multi-node-cluster.js';
import { NodeClients, expectContiguous } from './support/node-clients.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';

/** A lost node's runs end within the lease TTL, one reaper tick, and this margin. */
const NODE_LOST_MARGIN_MS = 2000;
const NODE_LOST_BOUND_MS = REDIS_LEASE_TTL_MS + REDIS_REAPER_INTERVAL_MS + NODE_LOST_MARGIN_MS;

const prefix = uniquePrefix();
let redis: SharedRedis | undefined;
let database: TestPostgres | undefined;
let a: ChatNode;
let b: ChatNode;
let c: ChatNode;
const clients = new NodeClients();

/** A user id no other run of this test uses. */
const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

const connect = clients.connect.bind(clients);

beforeAll(async () => {
  assertBuilt();
  redis = await useSharedRedis();
  database = await createTestPostgres();
  const env = clusterEnv({ redisUrl: redis.url, keyPrefix: prefix, databaseUrl: database.url });
  [a, b, c] = await Promise.all([
    startNode('node-a', env),
    startNode('node-b', env),
    startNode('node-c', env),
  ]);
  await waitUntil(
    async () => (await Promise.all([a, b, c].map(readiness))).every((r) => r.status === 200),
    10_000,
    'every node ready',
  );
}, 40_000);

afterAll(async () => {
  await clients.closeAll();
  await stopAllNodes();
  if (redis !== undefined) {
    await deleteKeys(redis.url, prefix).catch(() => undefined);
    await redis.release();
  }
  await database?.drop();
}, 30_000);

describe('three nodes over one Redis', () => {
  it('report redis in /health/ready', async () => {
    const ready = await readiness(a);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ redis: { status: 'ok' } });
  });

  it('deliver one chat run through A identically, in order, to the tabs on A and on B', async () => {
    const token = await devLoginOn(a, user('alice'));
    const onA = await connect(a, token);
    const onB = await connect(b, token);
    const [welcomeA, welcomeB] = [
      await onA.waitForType('welcome'),
      await onB.waitForType('welcome'),
    ];
    expect([welcomeA.serverId, welcomeB.serverId]).toEqual(['node-a', 'node-b']);
    expect(welcomeB.epoch).toBe(welcomeA.epoch);

    onA.send({ type: 'chat', id: 'm1', text: 'what is 12*(3+4)?' });
    const runId = String((await onA.waitForType('ack')).runId);
    await onA.waitForType('agent_completed', runId);
    await onB.waitForType('agent_completed', runId);

    const events = onA.events();
    expect(onB.events()).toEqual(events);
    expectContiguous(events, Number(welcomeA.seq) + 1);
    const run = events.filter((event) => event.runId === runId);
    expect(run.map((event) => event.type).slice(0, 2)).toEqual(['user_message', 'agent_started']);
    expect(run.find((event) => event.type === 'tool_executing')?.payload).toMatchObject({
      args: { expression: '12*(3+4)' },
    });
    expect(run.find((event) => event.type === 'tool_completed')?.payload).toMatchObject({
      ok: true,
      result: 84,
    });
    expect(run.at(-1)).toMatchObject({ type: 'agent_completed', payload: { status: 'success' } });
    expect(String(run.at(-1)?.payload?.response)).toContain('84');
  });

  it('stop a run owned by A with a cancel sent through C', async () => {
    const token = await devLoginOn(c, user('carol'));
    const onA = await connect(a, token);
    const onC = await connect(c, token);
    await Promise.all([onA.waitForType('welcome'), onC.waitForType('welcome')]);

    onA.send({ type: 'chat', id: 'm1', text: 'slow 20' });
    const runId = String((await onA.waitForType('ack')).runId);
    await onC.waitForType('agent_thinking', runId);
    const sentAt = Date.now();
    onC.send({ type: 'cancel', id: 'c1', runId });
    const terminal = await onC.waitForType('agent_completed', runId);
    const cancelMs = Date.now() - sentAt;
    expect(terminal.payload).toMatchObject({ status: 'cancelled' });
    expect(cancelMs).toBeLessThan(3000);
    await onA.waitForType('agent_completed', runId);
    expect(onA.events()).toEqual(onC.events());
  });

  // Last: it kills node A.
  it('end a run of a killed node with node_lost, which a client resuming on B sees with no gap', async () => {
    const token = await devLoginOn(a, user('dave'));
    const first = await connect(a, token);
    const welcome = await first.waitForType('welcome');
    first.send({ type: 'chat', id: 'm1', text: 'slow 10' });
    const runId = String((await first.waitForType('ack')).runId);
    await first.waitFor(
      (frame) => frame.type === 'agent_thinking' && /1\/10/.test(String(frame.payload?.text)),
      'the first second of slow 10',
    );

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');
    expect((await first.closed).code).toBe(1006);
    const before = first.events();
    const lastSeq = Number(before.at(-1)?.seq);
    expect(before.some((event) => event.type === 'agent_completed')).toBe(false);

    const second = await connect(b, token, {
      lastSeq: String(lastSeq),
      epoch: String(welcome.epoch),
    });
    const resumed = await second.waitForType('resumed');
    expect(resumed).toMatchObject({ complete: true, fromSeq: lastSeq + 1 });
    let endedAt = 0;
    await waitUntil(
      () => {
        if (second.frames.some((f) => f.type === 'agent_completed' && f.runId === runId)) {
          endedAt = Date.now();
          return true;
        }
        return false;
      },
      NODE_LOST_BOUND_MS + 2000,
      'agent_completed node_lost',
    );
    const lostAfterMs = endedAt - killedAt;
    console.info(
      `node_lost arrived ${lostAfterMs} ms after SIGKILL (bound ${NODE_LOST_BOUND_MS} ms)`,
    );
    // Not before the owner's lease could have expired, and within the bound.
    expect(lostAfterMs).toBeGreaterThan(REDIS_LEASE_TTL_MS - REDIS_LEASE_TTL_MS / 3 - 500);
    expect(lostAfterMs).toBeLessThanOrEqual(NODE_LOST_BOUND_MS);

    const all = [...before, ...second.events()];
    expectContiguous(all, Number(welcome.seq) + 1);
    const run = all.filter((event) => event.runId === runId);
    expect(run.filter((event) => event.type === 'agent_completed')).toHaveLength(1);
    expect(run.at(-1)).toMatchObject({
      type: 'agent_completed',
      payload: { status: 'error', error: { code: 'node_lost' } },
    });
    // The survivors kept running.
    expect(b.running && c.running).toBe(true);
  });
});
