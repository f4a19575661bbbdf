/**
 * `/ai-sdk/ws` across two chat servers over one Redis (docs/interop.md#1-ai-sdk-websocketchattransport):
 * a run started on node A, its socket lost after 4 chunks, is resumed with `reconnectToStream`
 * on node B into the same UIMessage as an uncut run; an `abort` sent to B cancels the run A owns.
 * Two servers in this process, each with its own hub and Redis engine, one database.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  type SharedRedis,
  uniquePrefix,
  useSharedRedis,
} from '../../../packages/ws-redis/test-support/redis-harness.js';
import { aiSdkTransport, finalMessage, readChunks, send } from './support/ai-sdk.js';
import { ChatClient } from './support/chat-client.js';
import { api, json, type MessageItem, type PageBody } from './support/history-api.js';
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

const chatId = (): string => `chat_${randomBytes(6).toString('hex')}`;
const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

describe('the AI SDK transport on two nodes over Redis', () => {
  it('slow 3 started on A, cut after 4 chunks, resumed on B: the uncut message', async () => {
    const token = await devLogin(a.url, user('ai-multi'));
    const uncut = aiSdkTransport(a.url, token);
    const onA = aiSdkTransport(a.url, token);
    const onB = aiSdkTransport(b.url, token);
    try {
      const whole = finalMessage(await send(uncut, chatId(), 'slow 3'));
      const chat = chatId();
      const chunks = await readChunks(await send(onA, chat, 'slow 3'), 4);
      onA.close();
      const resumed = await onB.reconnectToStream({ chatId: chat });
      expect(resumed).not.toBeNull();
      const message = await finalMessage(resumed!);
      expect(message.id).toBe((chunks[0] as { messageId: string }).messageId);
      const reference = await whole;
      expect(JSON.parse(JSON.stringify(message.parts))).toEqual(
        JSON.parse(JSON.stringify(reference.parts)),
      );
      expect(message.parts.at(-1)).toMatchObject({ type: 'text', text: 'Done after 3 seconds.' });
    } finally {
      for (const t of [uncut, onA, onB]) t.close();
    }
  });

  it('abort sent to B cancels the run A owns: abort, end, and history says cancelled', async () => {
    const token = await devLogin(a.url, user('ai-abort'));
    const starter = aiSdkTransport(a.url, token);
    const onB = await ChatClient.connect(
      b.wsUrl,
      token,
      {},
      { path: '/ai-sdk/ws', protocol: 'ai-sdk' },
    );
    try {
      const chat = chatId();
      await readChunks(await send(starter, chat, 'slow 10'), 4);
      starter.close();
      onB.send({ type: 'resume', requestId: 'r1', id: chat, headers: {}, body: {} });
      await onB.waitFor((f) => f.requestId === 'r1' && f.type === 'chunk', 'a chunk on B');
      onB.send({ type: 'abort', requestId: 'r1' });
      await onB.waitFor((f) => f.requestId === 'r1' && f.type === 'end', 'end on B');
      const frames = onB.frames.filter((f) => f.requestId === 'r1');
      expect(frames[0]).toEqual({ type: 'start', requestId: 'r1' });
      const chunks = frames.filter((f) => f.type === 'chunk');
      expect(chunks.map((f) => f.sequence)).toEqual(chunks.map((_, i) => i));
      expect(chunks.at(-1)?.chunk).toEqual({ type: 'abort' });

      const deadline = Date.now() + 10_000;
      let status: string | undefined;
      while (status === undefined && Date.now() < deadline) {
        const page = await json<PageBody<MessageItem>>(
          api(b.url, token, `/api/v1/threads/${chat}/messages`),
        ).catch(() => undefined);
        status = page?.items.find((m) => m.role === 'assistant')?.status;
        if (status === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe('cancelled');
    } finally {
      starter.close();
      await onB.close();
    }
  });
});
