/**
 * An `llm` run that ends early — a `cancel` from the client, or the stall timeout — aborts its
 * HTTP request to the model API: the fake API sees the connection closed before its answer
 * ended, and the server sends no other request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import {
  contentChunks,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from './support/fake-openai-server.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let fake: FakeOpenAiServer;
let test: TestServer;

beforeAll(async () => {
  // "stall" gets no answer at all; anything else a stream that never ends.
  fake = await startFakeOpenAiServer((request) =>
    String(request.body.messages.at(-1)?.content).includes('stall')
      ? { kind: 'stall' }
      : { kind: 'hang', chunks: contentChunks(['Thinking ', 'it over']).slice(0, -1) },
  );
  test = await startTestServer({
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'fake-model',
    RUN_STALL_TIMEOUT_MS: '1500',
  });
});

afterAll(async () => {
  await test?.server.close();
  await fake?.close();
});

describe('ending an llm run early', () => {
  it('a cancel aborts the model request in the middle of its stream', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'quinn'));
    try {
      await client.waitForType('welcome');
      client.send({ type: 'chat', id: 'q1', agent: 'llm', text: 'take your time' });
      const runId = String((await client.waitForType('ack')).runId);
      await client.waitFor(
        (frame) => frame.type === 'agent_response_delta' && frame.payload?.delta === 'it over',
        'the second delta',
      );
      const request = fake.requests.at(-1)!;

      client.send({ type: 'cancel', id: 'c1', runId });
      const terminal = await client.waitForType('agent_completed', runId);
      expect(terminal.payload).toMatchObject({ status: 'cancelled' });
      expect(await request.outcome).toBe('aborted');
      expect(
        fake.requests.filter((r) => r.body.messages.at(-1)?.content === 'take your time'),
      ).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('the stall timeout aborts a model request that never answers', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'rosa'));
    try {
      await client.waitForType('welcome');
      client.send({ type: 'chat', id: 'q2', agent: 'llm', text: 'stall please' });
      const runId = String((await client.waitForType('ack')).runId);
      const terminal = await client.waitForType('agent_completed', runId);
      expect(terminal.payload).toMatchObject({ status: 'timeout' });
      const stalled = fake.requests.filter(
        (r) => r.body.messages.at(-1)?.content === 'stall please',
      );
      expect(stalled).toHaveLength(1);
      expect(await stalled[0]!.outcome).toBe('aborted');
    } finally {
      await client.close();
    }
  });
});
