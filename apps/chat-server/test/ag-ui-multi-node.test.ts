/**
 * AG-UI across two chat servers over one Redis (docs/interop.md#ag-ui-resume-and-cancel): a run
 * started on node A, its response dropped after 3 events, is resumed on node B with
 * `Last-Event-ID` into exactly the events of the uncut run; a DELETE sent to B cancels the run
 * A owns. Two servers in this process, each with its own hub and Redis engine, one database.
 */
import { randomBytes } from 'node:crypto';
import { HttpAgent } from '@ag-ui/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  type SharedRedis,
  uniquePrefix,
  useSharedRedis,
} from '../../../packages/ws-redis/test-support/redis-harness.js';
import { postAgUi, readSse, runAgentInput } from './support/ag-ui-sse.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

const prefix = uniquePrefix();
let redis: SharedRedis;
let database: TestPostgres;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  redis = await useSharedRedis();
  database = await createTestPostgres();
  const shared = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, DATABASE_URL: database.url };
  a = await startTestServer({ ...shared, SERVER_ID: 'node-a' });
  b = await startTestServer({ ...shared, SERVER_ID: 'node-b' });
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.server.close(), b?.server.close()]);
  if (redis !== undefined) {
    await deleteKeys(redis.url, prefix).catch(() => undefined);
    await redis.release();
  }
  await database?.drop();
}, 60_000);

const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

function events(url: string, runId: string, token: string, lastEventId?: string) {
  return fetch(`${url}/ag-ui/runs/${runId}/events`, {
    headers: {
      Authorization: `Bearer ${token}`,
      ...(lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }),
    },
  });
}

describe('AG-UI on two nodes over Redis', () => {
  it('a run started on A, cut after 3 events, resumed on B: exactly the uncut run', async () => {
    const token = await devLogin(a.url, user('agui-multi'));
    const controller = new AbortController();
    const input = runAgentInput('slow 3');
    const response = await postAgUi(a.url, token, input, controller.signal);
    expect(response.status).toBe(200);
    const cut = await readSse(response, { limit: 3, abort: () => controller.abort() });
    const runId = String(input.runId);
    expect(cut.messages[0]?.event).toMatchObject({ type: 'RUN_STARTED', runId });

    const rest = await readSse(await events(b.url, runId, token, '3'));
    expect(rest.messages[0]?.id).toBe(4);
    expect(rest.messages.at(-1)?.event.type).toBe('RUN_FINISHED');
    // Either node numbers the whole run alike.
    const wholeOnA = await readSse(await events(a.url, runId, token));
    const wholeOnB = await readSse(await events(b.url, runId, token));
    expect(wholeOnB.messages).toEqual(wholeOnA.messages);
    const joined = [...cut.messages, ...rest.messages];
    expect(joined.map((m) => m.id)).toEqual(wholeOnB.messages.map((_, i) => i + 1));
    expect(joined).toEqual(wholeOnB.messages);
  });

  it('a DELETE sent to B cancels the run A owns; HttpAgent on A sees RUN_FINISHED cancelled', async () => {
    const token = await devLogin(a.url, user('agui-cancel'));
    const agent = new HttpAgent({
      url: `${a.url}/ag-ui`,
      headers: { Authorization: `Bearer ${token}` },
    });
    agent.addMessage({ id: 'u1', role: 'user', content: 'slow 20' });
    const runId = `cancel-${randomBytes(6).toString('hex')}`;
    let finished: unknown;
    const run = agent.runAgent(
      { runId },
      {
        onRunFinishedEvent: (params) => {
          finished = params.event;
        },
      },
    );
    // The run exists once its events can be followed, from either node.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = await events(b.url, runId, token);
      if (found.status === 200) {
        expect((await readSse(found, { limit: 1 })).messages[0]?.event.type).toBe('RUN_STARTED');
        break;
      }
      await found.body?.cancel();
      if (Date.now() > deadline) throw new Error(`run ${runId} never appeared`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const deleted = await fetch(`${b.url}/ag-ui/runs/${runId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(deleted.status).toBe(202);
    await run;
    expect(finished).toMatchObject({ runId, outcome: { type: 'cancelled' } });
  });
});
