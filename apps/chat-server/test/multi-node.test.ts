/**
 * Three real chat-server processes (the built `dist/main.js`) over one Redis and one PostgreSQL
 * database: a user's tabs on different nodes, a cancel through another node, and a node killed
 * in the middle of a run (docs/scaling.md).
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDIS_LEASE_TTL_MS } from '../src/redis-mode.js';
import { devLoginOn, readiness, waitUntil, type ChatNode } from './support/multi-node-cluster.js';
import { expectContiguous } from './support/node-clients.js';
import { useRedisCluster } from './support/redis-cluster.js';

/** How long the test waits for `node_lost`: a guard against a hang, not a bound it checks. */
const NODE_LOST_WAIT_MS = 60_000;

const cluster = useRedisCluster([
  { serverId: 'node-a' },
  { serverId: 'node-b' },
  { serverId: 'node-c' },
]);
let a: ChatNode;
let b: ChatNode;
let c: ChatNode;

beforeAll(() => {
  [a, b, c] = ['node-a', 'node-b', 'node-c'].map((id) => cluster.node(id)) as [
    ChatNode,
    ChatNode,
    ChatNode,
  ];
});

/** A user id no other run of this test uses. */
const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

const connect = cluster.clients.connect.bind(cluster.clients);

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
    // `slow 20` would take 20 s: `cancelled` is the cancel's doing. Its latency is a figure.
    const terminal = await onC.waitForType('agent_completed', runId);
    console.info(`cross-node cancel: agent_completed ${Date.now() - sentAt} ms after the cancel`);
    expect(terminal.payload).toMatchObject({ status: 'cancelled' });
    await onA.waitForType('agent_completed', runId);
    expect(onA.events()).toEqual(onC.events());
  });

  // Last: it kills node A.
  it('end a run of a killed node with node_lost, which a client resuming on B sees with no gap', async () => {
    const token = await devLoginOn(a, user('dave'));
    const first = await connect(a, token);
    const welcome = await first.waitForType('welcome');
    const sentAt = Date.now();
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
      NODE_LOST_WAIT_MS,
      'agent_completed node_lost',
    );
    console.info(`node_lost arrived ${endedAt - killedAt} ms after SIGKILL`);
    // Never before the lease could have expired: it was claimed after the chat was sent, and
    // lives at least its TTL from then (a lower bound only: a loaded machine is only slower).
    expect(endedAt - sentAt).toBeGreaterThanOrEqual(REDIS_LEASE_TTL_MS);

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
