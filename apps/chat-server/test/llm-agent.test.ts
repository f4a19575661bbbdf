import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import {
  contentChunks,
  startFakeOpenAiServer,
  toolCallChunks,
  type FakeOpenAiServer,
} from './support/fake-openai-server.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let fake: FakeOpenAiServer;
let test: TestServer;

beforeAll(async () => {
  // Each user message picks the script: a calculator call, or a stream that breaks off.
  fake = await startFakeOpenAiServer((request) => {
    const last = request.body.messages.at(-1);
    if (last?.role === 'tool')
      return { kind: 'stream', chunks: contentChunks(['12*(3+4) ', 'is 84.']) };
    if (String(last?.content).includes('break')) {
      return {
        kind: 'stream',
        chunks: contentChunks(['Starting ', 'to answer ', 'and then']),
        destroyAfter: 2,
      };
    }
    return {
      kind: 'stream',
      chunks: toolCallChunks('call_7', 'calculator', ['{"expression":', '"12*(3+4)"}']),
    };
  });
  test = await startTestServer({
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'fake-model',
  });
});

afterAll(async () => {
  await test.server.close();
  await fake.close();
});

describe('the llm agent in the server', () => {
  it('is listed beside the assistant', async () => {
    const agents = (await (await fetch(`${test.url}/api/v1/agents`)).json()) as { name: string }[];
    expect(agents.map((agent) => agent.name)).toEqual(['assistant', 'llm']);
  });

  it('streams a run with a tool call answered by a follow-up completion', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'lena'));
    try {
      await client.waitForType('welcome');
      client.send({ type: 'chat', id: 'q1', agent: 'llm', text: 'what is 12*(3+4)?' });
      const ack = await client.waitForType('ack');
      const runId = String(ack.runId);
      const terminal = await client.waitForType('agent_completed', runId);
      const events = client.runEvents(runId);
      expect(events.map((event) => event.type)).toEqual([
        'user_message',
        'agent_started',
        'agent_thinking',
        'tool_executing',
        'tool_completed',
        'agent_thinking',
        'agent_response_delta',
        'agent_response_delta',
        'agent_completed',
      ]);
      expect(events[1]?.payload).toMatchObject({ agentName: 'llm' });
      expect(events[3]?.payload).toMatchObject({
        toolCallId: 'call_7',
        toolName: 'calculator',
        args: { expression: '12*(3+4)' },
      });
      expect(events[4]?.payload).toMatchObject({ toolCallId: 'call_7', ok: true, result: 84 });
      expect(terminal.payload).toMatchObject({ status: 'success', response: '12*(3+4) is 84.' });
    } finally {
      await client.close();
    }
  });

  it('ends the run with error when the stream breaks off', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'mike'));
    try {
      await client.waitForType('welcome');
      client.send({ type: 'chat', id: 'q2', agent: 'llm', text: 'break please' });
      const ack = await client.waitForType('ack');
      const terminal = await client.waitForType('agent_completed', String(ack.runId));
      expect(terminal.payload).toMatchObject({
        status: 'error',
        error: { code: expect.any(String) },
      });
      const deltas = client
        .runEvents(String(ack.runId))
        .filter((event) => event.type === 'agent_response_delta');
      expect(deltas.map((event) => event.payload?.delta).join('')).toBe('Starting ');
    } finally {
      await client.close();
    }
  });
});
