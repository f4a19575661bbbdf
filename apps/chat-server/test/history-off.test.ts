/**
 * `HISTORY=off` (docs/configuration.md): runs go through whole over a real socket, nothing is
 * recorded, and chats are not counted against the new-thread limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { api, json, type PageBody, type ThreadItem } from './support/history-api.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

describe('HISTORY=off', () => {
  let test: TestServer;
  let token: string;
  let client: ChatClient;

  beforeAll(async () => {
    test = await startTestServer({ HISTORY: 'off', THREADS_PER_MINUTE: '1' });
    token = await devLogin(test.url, 'alice');
    client = await ChatClient.connect(test.wsUrl, token);
  });

  afterAll(async () => {
    await client?.close();
    await test?.server.close();
  });

  it('answers every chat and records none of them', async () => {
    // Three new threads with THREADS_PER_MINUTE=1: the limit bounds stored history, and none is stored.
    for (const id of ['h1', 'h2', 'h3']) {
      client.send({ type: 'chat', id, text: 'what is 12*(3+4)?' });
      const ack = await client.waitFor(
        (frame) => frame.type === 'ack' && frame.ref === id,
        `ack ${id}`,
      );
      const completed = await client.waitForType('agent_completed', String(ack.runId));
      expect(completed.payload).toMatchObject({ status: 'success' });
      expect(String(completed.payload?.response)).toContain('84');
    }
    const threads = await json<PageBody<ThreadItem>>(api(test.url, token, '/api/v1/threads'));
    expect(threads.items).toEqual([]);
  });
});
