import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

/** The WS_* and ALLOWED_ORIGINS variables reach the hub and the socket routes. */
let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({
    ALLOWED_ORIGINS: 'https://chat.example.com',
    WS_HEARTBEAT_MS: '4000',
    WS_RESUME_MAX_EVENTS: '50',
    WS_RESUME_MAX_AGE_MS: '60000',
    WS_MAX_CONNECTIONS_PER_USER: '1',
    WS_MAX_RUNS_PER_USER: '1',
  });
});

afterAll(async () => {
  await test.server.close();
});

describe('socket settings from the configuration', () => {
  it('announces the heartbeat and the resume window in welcome', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'nina'));
    try {
      expect(await client.waitForType('welcome')).toMatchObject({
        heartbeatMs: 4000,
        resumeWindow: { maxEvents: 50, maxAgeMs: 60000 },
      });
    } finally {
      await client.close();
    }
  });

  it('allows only the configured browser origins', async () => {
    const token = await devLogin(test.url, 'oscar');
    await expect(
      ChatClient.connect(test.wsUrl, token, {}, { origin: 'https://evil.example.com' }),
    ).rejects.toThrow(/HTTP 403/);
    const client = await ChatClient.connect(
      test.wsUrl,
      token,
      {},
      { origin: 'https://chat.example.com' },
    );
    await client.close();
  });

  it('limits connections and runs per user', async () => {
    const token = await devLogin(test.url, 'paul');
    const client = await ChatClient.connect(test.wsUrl, token);
    try {
      await client.waitForType('welcome');
      await expect(ChatClient.connect(test.wsUrl, token)).rejects.toThrow(/HTTP 429/);
      client.send({ type: 'chat', id: 'p1', text: 'slow 30' });
      const ack = await client.waitForType('ack');
      client.send({ type: 'chat', id: 'p2', text: 'hello' });
      expect(
        await client.waitFor((frame) => frame.type === 'error' && frame.ref === 'p2'),
      ).toMatchObject({
        code: 'too_many_runs',
      });
      client.send({ type: 'cancel', runId: ack.runId });
      await client.waitForType('agent_completed', String(ack.runId));
    } finally {
      await client.close();
    }
  });
});
