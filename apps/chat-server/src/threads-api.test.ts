import { configureLogging, createLogger } from '@app/logging-ssot';
import {
  createAttemptLimiter,
  createInMemoryTicketStore,
  createTokenVerifier,
} from '@app/ws-routes';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from './dev-login.js';
import { createHttpApp } from './http-app.js';
import type { HistoryStore } from './storage/history-store.js';
import { createKyselyHistoryStore } from './storage/kysely-history-store.js';
import { migrateToLatest } from './storage/migrate.js';
import { openDatabase } from './storage/open-database.js';

configureLogging({ level: 'error' });
const SECRET = 'threads-api-test-secret-of-32-bytes!!';
const logger = createLogger('threads-api-test');
const verifier = createTokenVerifier({ secret: SECRET });

function appOver(store: HistoryStore) {
  return createHttpApp({
    agents: { list: () => [] },
    tickets: { verifier, tickets: createInMemoryTicketStore(), limiter: createAttemptLimiter() },
    threads: { verifier, store },
    readinessChecks: [],
    metrics: { registry: new Registry() },
    logger,
  });
}

let store: HistoryStore;
let app: ReturnType<typeof appOver>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const database = await openDatabase({ dataDir: 'memory://', logger });
  await migrateToLatest(database.db, logger);
  store = createKyselyHistoryStore(database);
  app = appOver(store);
  for (const user of ['alice', 'bob'])
    tokens[user] = (await signDevToken(user, { secret: SECRET })).token;
  for (let n = 1; n <= 3; n += 1) {
    await store.recordUserMessage({
      userId: 'alice',
      threadId: `t_a${n}`,
      runId: `r_a${n}`,
      messageId: `m_a${n}`,
      text: `hello ${n}`,
      createdAt: new Date(Date.UTC(2030, 0, 1, 0, 0, n)).toISOString(),
    });
  }
});

afterAll(async () => {
  await store?.close();
});

function call(method: string, path: string, user?: string, header?: string): Promise<Response> {
  const authorization = header ?? (user === undefined ? undefined : `Bearer ${tokens[user]}`);
  return Promise.resolve(
    app.request(path, { method, headers: authorization ? { Authorization: authorization } : {} }),
  );
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

const ROUTES: [string, string][] = [
  ['GET', '/api/v1/threads'],
  ['GET', '/api/v1/threads/t_a1/messages'],
  ['DELETE', '/api/v1/threads/t_a1'],
];

describe('threads API', () => {
  it.each(ROUTES)('%s %s is 401 without a valid JWT', async (method, path) => {
    for (const header of [undefined, 'Bearer not.a.jwt', 'Basic abc']) {
      const response = await call(method, path, undefined, header);
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
    const foreign = (await signDevToken('alice', { secret: 'another-secret-of-at-least-32-bytes' }))
      .token;
    expect((await call(method, path, undefined, `Bearer ${foreign}`)).status).toBe(401);
  });

  it('lists the caller’s threads newest first, paged', async () => {
    const first = await call('GET', '/api/v1/threads?limit=2', 'alice');
    expect(first.status).toBe(200);
    const page = (await first.json()) as {
      items: { threadId: string }[];
      nextCursor: string | null;
    };
    expect(page.items.map((t) => t.threadId)).toEqual(['t_a3', 't_a2']);
    expect(page.items[0]).toEqual({
      threadId: 't_a3',
      title: 'hello 3',
      createdAt: '2030-01-01T00:00:03.000Z',
      updatedAt: '2030-01-01T00:00:03.000Z',
    });
    const next = await call('GET', `/api/v1/threads?limit=2&cursor=${page.nextCursor}`, 'alice');
    expect(await next.json()).toMatchObject({ items: [{ threadId: 't_a1' }], nextCursor: null });
    expect(await (await call('GET', '/api/v1/threads', 'bob')).json()).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it.each(['0', '101', 'abc', '1.5', '-1', '1e2', '0x10'])('limit=%s is 400', async (limit) => {
    const response = await call('GET', `/api/v1/threads?limit=${limit}`, 'alice');
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('limit must be an integer from 1 to 100') as unknown,
    });
    const messages = await call('GET', `/api/v1/threads/t_a1/messages?limit=${limit}`, 'alice');
    expect(messages.status).toBe(400);
  });

  it.each(['1', '100'])('limit=%s is accepted', async (limit) => {
    expect((await call('GET', `/api/v1/threads?limit=${limit}`, 'alice')).status).toBe(200);
  });

  it('a malformed cursor is 400', async () => {
    for (const path of ['/api/v1/threads?cursor=%%%', '/api/v1/threads/t_a1/messages?cursor=e30']) {
      const response = await call('GET', path, 'alice');
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({
        code: 'invalid_request',
        message: expect.stringContaining('cursor is not valid') as unknown,
      });
    }
  });

  it.each([['x'.repeat(129)], ['t%20a1'], ['t%2Fa1'], ['t%C3%A9']])(
    'threadId %s is 400',
    async (id) => {
      expect((await call('GET', `/api/v1/threads/${id}/messages`, 'alice')).status).toBe(400);
      expect((await call('DELETE', `/api/v1/threads/${id}`, 'alice')).status).toBe(400);
    },
  );

  it("another user's thread is 404 on messages and delete, never 403", async () => {
    const messages = await call('GET', '/api/v1/threads/t_a1/messages', 'bob');
    expect(messages.status).toBe(404);
    expect(await errorOf(messages)).toEqual({
      code: 'not_found',
      message: 'There is no thread t_a1',
    });
    expect((await call('DELETE', '/api/v1/threads/t_a1', 'bob')).status).toBe(404);
    expect((await call('GET', '/api/v1/threads/t_a1/messages', 'alice')).status).toBe(200);
  });

  it('lists messages, and deletes with 204 then 404', async () => {
    const response = await call('GET', '/api/v1/threads/t_a2/messages', 'alice');
    expect(await response.json()).toEqual({
      items: [
        {
          messageId: 'm_a2',
          role: 'user',
          text: 'hello 2',
          runId: 'r_a2',
          createdAt: '2030-01-01T00:00:02.000Z',
        },
      ],
      nextCursor: null,
    });
    const deleted = await call('DELETE', '/api/v1/threads/t_a2', 'alice');
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await call('DELETE', '/api/v1/threads/t_a2', 'alice')).status).toBe(404);
    expect((await call('GET', '/api/v1/threads/t_a2/messages', 'alice')).status).toBe(404);
  });

  it('is 503 when the database does not answer', async () => {
    const down = new Error('connect ECONNREFUSED');
    const failing: HistoryStore = {
      recordUserMessage: () => Promise.reject(down),
      recordRunResult: () => Promise.reject(down),
      recordBatch: () => Promise.reject(down),
      listThreads: () => Promise.reject(down),
      listMessages: () => Promise.reject(down),
      deleteThread: () => Promise.reject(down),
      hasThread: () => Promise.reject(down),
      hasRun: () => Promise.reject(down),
      ping: () => Promise.reject(down),
      close: () => Promise.resolve(),
    };
    const broken = appOver(failing);
    const response = await broken.request('/api/v1/threads', {
      headers: { Authorization: `Bearer ${tokens.alice}` },
    });
    expect(response.status).toBe(503);
    expect((await errorOf(response)).code).toBe('unavailable');
  });
});
