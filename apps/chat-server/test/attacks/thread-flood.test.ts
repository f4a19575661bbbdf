/**
 * Attack: one user fills the stored history by starting thread after thread — 374 threads in
 * 20 s within every other limit. New threads are now limited per user (`THREADS_PER_MINUTE`,
 * default 30): a `chat` that would start one more gets `error rate_limited` with
 * `retryAfterMs`, and starts nothing (docs/security.md#new-threads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from '../support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from '../support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test.server.close();
});

let nextId = 0;

/** Sends a chat; resolves with its `agent_completed`, or with the `error` that refused it. */
async function chat(client: ChatClient, threadId?: string): Promise<Frame> {
  const id = `m${nextId++}`;
  client.send({ type: 'chat', id, text: 'what is 1+1?', ...(threadId ? { threadId } : {}) });
  const answer = await client.waitFor(
    (frame) => (frame.type === 'ack' || frame.type === 'error') && frame.ref === id,
    `the answer to ${id}`,
  );
  if (answer.type === 'error') return answer;
  return client.waitForType('agent_completed', String(answer.runId));
}

async function threadCount(token: string): Promise<number> {
  const response = await fetch(`${test.url}/api/v1/threads?limit=100`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { items: unknown[] }).items.length;
}

describe('attack: one user starts thread after thread', () => {
  it('gets 30 new threads a minute, then error rate_limited; existing threads still work', async () => {
    const token = await devLogin(test.url, 'hoarder');
    const client = await ChatClient.connect(test.wsUrl, token);
    await client.waitForType('welcome');
    const first = await chat(client);
    expect(first.type).toBe('agent_completed');
    for (let i = 1; i < 30; i += 1) expect((await chat(client)).type).toBe('agent_completed');
    // A thread id the user does not have yet is a new thread too.
    for (const refused of [await chat(client), await chat(client, 't_made_up_by_the_client')]) {
      expect(refused).toMatchObject({ type: 'error', code: 'rate_limited' });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    expect(await threadCount(token)).toBe(30);
    // Chats in an existing thread are not counted.
    expect(await chat(client, String(first.threadId))).toMatchObject({
      type: 'agent_completed',
      payload: { status: 'success' },
    });
    expect(await threadCount(token)).toBe(30);

    const bystander = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'bystander'));
    await bystander.waitForType('welcome');
    expect((await chat(bystander)).type).toBe('agent_completed');
    await Promise.all([client.close(), bystander.close()]);
  });
});
