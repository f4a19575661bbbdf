import { describe, expect, it } from 'vitest';
import { signToken, useTestServer, TestClient, type TestServer } from '../test/harness.js';

const startTestServer = useTestServer();

async function legacyClient(s: TestServer, path: string, userId = 'alice'): Promise<TestClient> {
  // A legacy client offers no subprotocol and authenticates with the header.
  return TestClient.open(s.url(path), {
    headers: { authorization: `Bearer ${await signToken(userId)}` },
  });
}

describe('legacy wire mode', () => {
  it.each(['/websocket', '/ws?mode=legacy'])(
    '%s sends the deprecation notice first, then flat events for flat inbound chat',
    async (path) => {
      const s = await startTestServer();
      const client = await legacyClient(s, path);
      expect(client.ws.protocol).toBe('');
      expect(await client.next()).toEqual({
        type: 'deprecation_notice',
        message: expect.any(String),
        replacement: '/ws (protocol chat.v1)',
      });
      client.send({ type: 'user_message', content: 'hello there' });
      const started = await client.next('agent_started');
      expect(started).toMatchObject({
        run_id: expect.any(String),
        thread_id: expect.any(String),
        user_id: 'alice',
        timestamp: expect.any(String),
        agent_name: 'scripted',
        task_description: 'hello there',
        seq: expect.any(Number),
      });
      expect(started).not.toHaveProperty('payload');
      expect(await client.next('agent_thinking')).toMatchObject({ reasoning: expect.any(String) });
      expect(await client.next('tool_executing')).toMatchObject({
        tool_name: 'echo',
        tool_args: { text: 'hello there' },
        execution_id: expect.any(String),
      });
      expect(await client.next('tool_completed')).toMatchObject({
        tool_name: 'echo',
        results: 'hello there',
        success: true,
        execution_time: expect.any(Number),
      });
      expect(await client.next('agent_completed')).toMatchObject({
        status: 'success',
        final_response: 'echo: hello there',
      });
      expect(client.frames.some((f) => f.type === 'welcome' || f.type === 'resumed')).toBe(false);
    },
  );

  it('accepts start_agent/message and ping, and answers errors with v1 error frames', async () => {
    const s = await startTestServer();
    const client = await legacyClient(s, '/websocket');
    await client.next('deprecation_notice');
    client.send({ type: 'ping' });
    expect(await client.next('pong')).toEqual({ type: 'pong' });
    client.send({ type: 'start_agent', message: 'second' });
    expect(await client.next('agent_completed')).toMatchObject({ final_response: 'echo: second' });
    client.send({ type: 'subscribe' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown_type' });
  });

  it('keeps users apart and shares the v1 credentials rules', async () => {
    const s = await startTestServer();
    const alice = await legacyClient(s, '/websocket', 'alice');
    const bob = await legacyClient(s, '/websocket', 'bob');
    await alice.next('deprecation_notice');
    await bob.next('deprecation_notice');
    alice.send({ type: 'chat', content: 'private' });
    await alice.next('agent_completed');
    bob.send({ type: 'ping' });
    await bob.next('pong');
    expect(bob.frames.map((f) => f.type)).toEqual(['deprecation_notice', 'pong']);
    await expect(TestClient.open(s.url('/websocket'))).rejects.toThrow('401');
  });
});
