/**
 * History end to end, on both backends: runs over a real socket, read back over HTTP — the
 * final response is stored before `agent_completed` is emitted, so no polling is needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from './support/chat-client.js';
import {
  allPages,
  api,
  json,
  type MessageItem,
  type PageBody,
  type ThreadItem,
} from './support/history-api.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

async function chat(
  client: ChatClient,
  id: string,
  text: string,
  threadId?: string,
): Promise<{ ack: Frame; events: Frame[] }> {
  client.send({ type: 'chat', id, text, ...(threadId ? { threadId } : {}) });
  const ack = await client.waitFor(
    (frame) => frame.type === 'ack' && frame.ref === id,
    `ack ${id}`,
  );
  const runId = String(ack.runId);
  await client.waitForType('agent_completed', runId);
  return { ack, events: client.runEvents(runId) };
}

const backends: [
  string,
  () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>,
][] = [
  ['PGlite (in memory)', () => Promise.resolve({ env: {}, cleanup: () => Promise.resolve() })],
  [
    'PostgreSQL',
    async () => {
      const postgres: TestPostgres = await createTestPostgres();
      return { env: { DATABASE_URL: postgres.url }, cleanup: () => postgres.drop() };
    },
  ],
];

describe.each(backends)('conversation history on %s', (_name, prepare) => {
  let test: TestServer;
  let cleanup: () => Promise<void>;
  const tokens: Record<string, string> = {};
  const clients: Record<string, ChatClient> = {};

  beforeAll(async () => {
    const prepared = await prepare();
    cleanup = prepared.cleanup;
    test = await startTestServer(prepared.env);
    for (const user of ['alice', 'bob', 'carol']) {
      tokens[user] = await devLogin(test.url, user);
      clients[user] = await ChatClient.connect(test.wsUrl, tokens[user]);
    }
  });

  afterAll(async () => {
    for (const client of Object.values(clients)) await client.close();
    await test?.server.close();
    await cleanup?.();
  });

  it('stores the golden-path run and serves it back over HTTP', async () => {
    const alice = clients.alice!;
    const { ack, events } = await chat(alice, 'g1', 'what is 12*(3+4)?');
    const threadId = String(ack.threadId);
    const runId = String(ack.runId);
    const userEvent = events.find((event) => event.type === 'user_message');
    const completed = events.find((event) => event.type === 'agent_completed');

    const threads = await json<PageBody<ThreadItem>>(
      api(test.url, tokens.alice!, '/api/v1/threads'),
    );
    expect(threads.nextCursor).toBeNull();
    expect(threads.items).toHaveLength(1);
    expect(threads.items[0]).toMatchObject({ threadId, title: 'what is 12*(3+4)?' });

    const messages = await json<PageBody<MessageItem>>(
      api(test.url, tokens.alice!, `/api/v1/threads/${threadId}/messages`),
    );
    expect(messages.nextCursor).toBeNull();
    expect(messages.items).toHaveLength(2);
    const [user, assistant] = messages.items;
    expect(user).toEqual({
      messageId: userEvent?.payload?.messageId,
      role: 'user',
      text: 'what is 12*(3+4)?',
      runId,
      createdAt: userEvent?.ts,
    });
    expect(assistant).toMatchObject({
      messageId: runId,
      role: 'assistant',
      runId,
      status: 'success',
      text: completed?.payload?.response,
      tools: [{ name: 'calculator', args: { expression: '12*(3+4)' }, ok: true, result: 84 }],
    });
    expect(assistant?.text).toContain('84');
    expect(typeof assistant?.tools?.[0]?.durationMs).toBe('number');
    expect(Date.parse(assistant?.createdAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(user?.createdAt ?? ''),
    );
  });

  it('stores failed tools and crashed runs with their status', async () => {
    const alice = clients.alice!;
    const tool = await chat(alice, 'f1', 'what is 2+2? fail tool');
    const crash = await chat(alice, 'f2', 'crash agent', String(tool.ack.threadId));
    const { items } = await json<PageBody<MessageItem>>(
      api(test.url, tokens.alice!, `/api/v1/threads/${String(tool.ack.threadId)}/messages`),
    );
    expect(items.map((m) => [m.role, m.status])).toEqual([
      ['user', undefined],
      ['assistant', 'success'],
      ['user', undefined],
      ['assistant', 'error'],
    ]);
    expect(items[1]?.tools).toEqual([
      {
        name: 'calculator',
        args: { expression: '2+2' },
        ok: false,
        durationMs: expect.any(Number) as unknown,
        toolCallId: expect.any(String) as unknown,
        error: { code: 'tool_failed', message: expect.any(String) as unknown },
      },
    ]);
    expect(items[3]).toMatchObject({ runId: String(crash.ack.runId), text: '' });
    expect(items[3]).not.toHaveProperty('tools');
  });

  it("isolates users on every endpoint: 404 for another user's thread, never listed", async () => {
    const { ack } = await chat(clients.alice!, 'i1', 'my secret plan');
    const threadId = String(ack.threadId);
    await chat(clients.bob!, 'i2', 'bob was here');

    const bobsThreads = await json<PageBody<ThreadItem>>(
      api(test.url, tokens.bob!, '/api/v1/threads?limit=100'),
    );
    expect(bobsThreads.items.map((t) => t.title)).toEqual(['bob was here']);
    const messages = await api(test.url, tokens.bob!, `/api/v1/threads/${threadId}/messages`);
    expect(messages.status).toBe(404);
    const deleted = await api(test.url, tokens.bob!, `/api/v1/threads/${threadId}`, 'DELETE');
    expect(deleted.status).toBe(404);
    // Alice's thread is untouched, and she deletes it herself.
    expect(
      (await api(test.url, tokens.alice!, `/api/v1/threads/${threadId}/messages`)).status,
    ).toBe(200);
    expect(
      (await api(test.url, tokens.alice!, `/api/v1/threads/${threadId}`, 'DELETE')).status,
    ).toBe(204);
    expect(
      (await api(test.url, tokens.alice!, `/api/v1/threads/${threadId}/messages`)).status,
    ).toBe(404);
    const left = await json<PageBody<ThreadItem>>(
      api(test.url, tokens.alice!, '/api/v1/threads?limit=100'),
    );
    expect(left.items.map((t) => t.threadId)).not.toContain(threadId);
  });

  it('pages threads and messages: limit 1, exact multiples, nextCursor null at the end', async () => {
    const carol = clients.carol!;
    const first = await chat(carol, 'p1', 'what is 1+1?');
    const threadId = String(first.ack.threadId);
    for (let n = 2; n <= 5; n += 1) await chat(carol, `p${n}`, `what is ${n}+${n}?`, threadId);
    await chat(carol, 'p6', 'what is 6*7?');
    await chat(carol, 'p7', 'what is 7*7?');

    const path = `/api/v1/threads/${threadId}/messages`;
    const expected = [1, 2, 3, 4, 5].flatMap((n) => [
      `what is ${n}+${n}?`,
      `${n}+${n} = ${2 * n}.`,
    ]);
    for (const [limit, pages] of [
      [1, 10],
      [5, 2],
      [10, 1],
      [3, 4],
      [100, 1],
    ] as const) {
      const result = await allPages<MessageItem>(test.url, tokens.carol!, path, limit);
      expect(
        result.items.map((m) => m.text),
        `limit ${limit}`,
      ).toEqual(expected);
      expect(result.pages, `limit ${limit}`).toBe(pages);
    }
    for (const [limit, pages] of [
      [1, 3],
      [3, 1],
      [2, 2],
    ] as const) {
      const result = await allPages<ThreadItem>(test.url, tokens.carol!, '/api/v1/threads', limit);
      expect(
        result.items.map((t) => t.title),
        `limit ${limit}`,
      ).toEqual(['what is 7*7?', 'what is 6*7?', 'what is 1+1?']);
      expect(result.pages, `limit ${limit}`).toBe(pages);
    }
  });

  it('answers 400 for bad paging and thread ids, 401 without a token', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=nonsense', 'cursor=e30']) {
      const response = await api(test.url, tokens.carol!, `/api/v1/threads?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_request',
      );
    }
    expect(
      (await api(test.url, tokens.carol!, `/api/v1/threads/${'t'.repeat(129)}/messages`)).status,
    ).toBe(400);
    expect((await fetch(`${test.url}/api/v1/threads`)).status).toBe(401);
  });

  it('reports the database in readiness', async () => {
    const response = await fetch(`${test.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'ok' } },
    });
  });
});
