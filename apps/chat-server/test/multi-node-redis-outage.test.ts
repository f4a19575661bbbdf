/**
 * Redis stopped and restarted in the middle of a run, under two real chat-server processes (the
 * built `dist/main.js`). The Redis is a PRIVATE redis-server of this file, never the shared one
 * (docs/scaling.md#rule-7-tests-never-disturb-shared-services); it is stopped with `SHUTDOWN SAVE`, so it comes back with its data.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  uniquePrefix,
} from '../../../packages/ws-redis/test-support/redis-harness.js';
import {
  assertBuilt,
  type ChatNode,
  clusterEnv,
  devLoginOn,
  readiness,
  refusedUpgrade,
  sleep,
  startNode,
  stopAllNodes,
  waitUntil,
} from './support/multi-node-cluster.js';
import { NodeClients, expectContiguous } from './support/node-clients.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';

let redis: RedisServer | undefined;
let database: TestPostgres | undefined;
let p: ChatNode;
let q: ChatNode;
const clients = new NodeClients();

const connect = clients.connect.bind(clients);

/** Lines of a node's JSON log whose message contains `text`. */
function logLines(node: ChatNode, text: string): string[] {
  return node
    .output()
    .split('\n')
    .filter((line) => line.includes(text));
}

beforeAll(async () => {
  assertBuilt();
  redis = await startRedisServer();
  database = await createTestPostgres();
  const env = clusterEnv({
    redisUrl: redis.url,
    keyPrefix: uniquePrefix(),
    databaseUrl: database.url,
  });
  [p, q] = await Promise.all([startNode('node-p', env), startNode('node-q', env)]);
  await waitUntil(
    async () => (await Promise.all([p, q].map(readiness))).every((r) => r.status === 200),
    60_000,
    'both nodes ready',
  );
});

afterAll(async () => {
  await clients.closeAll();
  await stopAllNodes();
  await redis?.dispose();
  await database?.drop();
});

describe('Redis stopped and restarted during a run', () => {
  it('turns readiness 503 and back to 200, exits no process, and keeps the streams consistent', async () => {
    const token = await devLoginOn(p, `erin-${randomBytes(4).toString('hex')}`);
    const onP = await connect(p, token);
    const onQ = await connect(q, token);
    const welcome = await onP.waitForType('welcome');
    await onQ.waitForType('welcome');
    onP.send({ type: 'chat', id: 'm1', text: 'slow 6' });
    const runId = String((await onP.waitForType('ack')).runId);
    await onQ.waitForType('agent_thinking', runId);
    const lastSeqBefore = Number(onQ.events().at(-1)?.seq);

    await redis!.stop({ save: true });
    const stoppedAt = Date.now();
    await waitUntil(
      async () => (await Promise.all([p, q].map(readiness))).every((r) => r.status === 503),
      30_000,
      'readiness 503 on both nodes',
    );
    const down = await readiness(q);
    expect(down.body.checks).toMatchObject({ redis: { status: 'failing' } });
    // New upgrades are refused; a new chat is refused with `unavailable`; open sockets stay.
    expect(await refusedUpgrade(q, token)).toEqual({ status: 503, error: 'not_ready' });
    onQ.send({ type: 'chat', id: 'during', text: 'hello' });
    const refused = await onQ.waitFor(
      (frame) => frame.type === 'error' && frame.ref === 'during',
      'the refusal of a chat during the outage',
    );
    expect(refused).toMatchObject({ code: 'unavailable' });
    expect(typeof refused.retryAfterMs).toBe('number');

    await sleep(Math.max(0, 800 - (Date.now() - stoppedAt)));
    await redis!.start();
    await waitUntil(
      async () => (await Promise.all([p, q].map(readiness))).every((r) => r.status === 200),
      60_000,
      'readiness 200 on both nodes again',
    );

    await waitUntil(
      () =>
        [onP, onQ].every((tab) =>
          tab.frames.some((f) => f.type === 'agent_completed' && f.runId === runId),
        ),
      60_000,
      'the run to end on both tabs',
    );
    expect(p.running && q.running).toBe(true);
    // The open tabs got the same stream, complete and in order, with one terminal event.
    expect(onQ.events()).toEqual(onP.events());
    expectContiguous(onP.events(), Number(welcome.seq) + 1);
    const run = onP.events().filter((event) => event.runId === runId);
    expect(run.filter((event) => event.type === 'agent_completed')).toHaveLength(1);
    expect(run.at(-1)).toMatchObject({ type: 'agent_completed', payload: { status: 'success' } });

    // A client resuming from before the outage sees contiguous seqs up to the terminal event.
    const resumer = await connect(q, token, {
      lastSeq: String(lastSeqBefore),
      epoch: String(welcome.epoch),
    });
    const resumed = await resumer.waitForType('resumed');
    expect(resumed).toMatchObject({ complete: true, fromSeq: lastSeqBefore + 1 });
    expectContiguous(resumer.events(), lastSeqBefore + 1);
    expect(resumer.events().at(-1)).toMatchObject({ type: 'agent_completed', runId });
    expect(resumer.events()).toEqual(onP.events().filter((e) => Number(e.seq) > lastSeqBefore));

    // One error line per node for the outage, not one per event or reconnect attempt.
    for (const node of [p, q]) expect(logLines(node, 'Redis unreachable')).toHaveLength(1);
  });
});
