import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from './support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test.server.close();
});

/** Sends a chat and waits for the run's terminal event; returns the ack and the run's events. */
async function chat(
  client: ChatClient,
  id: string,
  text: string,
): Promise<{ ack: Frame; events: Frame[] }> {
  client.send({ type: 'chat', id, text });
  const ack = await client.waitFor(
    (frame) => frame.type === 'ack' && frame.ref === id,
    `ack ${id}`,
  );
  const runId = String(ack.runId);
  await client.waitForType('agent_completed', runId);
  return { ack, events: client.runEvents(runId) };
}

function expectContiguous(events: Frame[]): void {
  const seqs = events.map((event) => event.seq);
  const first = seqs[0] ?? 0;
  expect(seqs).toEqual(seqs.map((_seq, index) => first + index));
}

describe('golden path', () => {
  it('dev login → welcome → calculator run with every event in order', async () => {
    const token = await devLogin(test.url, 'alice');
    const client = await ChatClient.connect(test.wsUrl, token);
    try {
      expect(client.socket.protocol).toBe('chat.v1');
      const welcome = await client.waitForType('welcome');
      expect(welcome).toMatchObject({
        type: 'welcome',
        protocol: 1,
        userId: 'alice',
        serverId: 'test-node',
      });
      expect(client.frames[0]?.type).toBe('welcome');

      const { ack, events } = await chat(client, 'm1', 'what is 12*(3+4)?');
      expect(ack).toMatchObject({ type: 'ack', ref: 'm1' });
      expect(typeof ack.runId).toBe('string');
      expect(typeof ack.threadId).toBe('string');

      const types = events.map((event) => event.type);
      expect(types[0]).toBe('user_message');
      expect(types[1]).toBe('agent_started');
      expect(types.at(-1)).toBe('agent_completed');
      expect(types).toContain('agent_thinking');
      expect(types).toContain('agent_response_delta');
      expect(types.indexOf('agent_thinking')).toBeLessThan(types.indexOf('tool_executing'));
      expect(types.indexOf('tool_executing')).toBeLessThan(types.indexOf('tool_completed'));
      expect(types.indexOf('tool_completed')).toBeLessThan(types.indexOf('agent_response_delta'));

      expect(events[0]?.payload).toMatchObject({ text: 'what is 12*(3+4)?' });
      expect(events[1]?.payload).toMatchObject({
        agentName: 'assistant',
        input: 'what is 12*(3+4)?',
      });
      const executing = events.find((event) => event.type === 'tool_executing');
      expect(executing?.payload).toMatchObject({
        toolName: 'calculator',
        args: { expression: '12*(3+4)' },
      });
      const completed = events.find((event) => event.type === 'tool_completed');
      expect(completed?.payload).toMatchObject({
        toolCallId: executing?.payload?.toolCallId,
        toolName: 'calculator',
        ok: true,
        result: 84,
      });
      const terminal = events.at(-1);
      expect(terminal?.payload).toMatchObject({ status: 'success' });
      expect(String(terminal?.payload?.response)).toContain('84');
      const deltas = events
        .filter((event) => event.type === 'agent_response_delta')
        .map((event) => event.payload?.delta);
      expect(deltas.join('')).toBe(terminal?.payload?.response);

      expectContiguous(events);
      expect(events[0]?.seq).toBe(Number(welcome.seq) + 1);
      expect(
        events.every((event) => event.runId === ack.runId && event.threadId === ack.threadId),
      ).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('"crash agent" ends the run with status error', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'bob'));
    try {
      await client.waitForType('welcome');
      const { events } = await chat(client, 'c1', 'crash agent');
      expect(events.at(-1)).toMatchObject({
        type: 'agent_completed',
        payload: { status: 'error' },
      });
      expect(events.at(-1)?.payload?.error).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
      });
      expectContiguous(events);
    } finally {
      await client.close();
    }
  });

  it('"fail tool" fails the tool and still succeeds, explaining why', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'carol'));
    try {
      await client.waitForType('welcome');
      const { events } = await chat(client, 'f1', 'fail tool: what is 2+3?');
      const completed = events.find((event) => event.type === 'tool_completed');
      expect(completed?.payload).toMatchObject({
        toolName: 'calculator',
        ok: false,
        error: { code: 'tool_failed', message: expect.stringContaining('fail tool') },
      });
      const terminal = events.at(-1);
      expect(terminal?.payload).toMatchObject({ status: 'success' });
      expect(String(terminal?.payload?.response)).toMatch(/calculator tool failed/);
    } finally {
      await client.close();
    }
  });

  it('delivers a run to every connection of the user and to nobody else', async () => {
    const tab1 = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'dave'));
    const tab2 = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'dave'));
    const other = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'erin'));
    try {
      await Promise.all([
        tab1.waitForType('welcome'),
        tab2.waitForType('welcome'),
        other.waitForType('welcome'),
      ]);
      const { ack, events } = await chat(tab1, 'd1', 'what time is it?');
      await tab2.waitForType('agent_completed', String(ack.runId));
      expect(tab2.runEvents(String(ack.runId)).map((event) => event.seq)).toEqual(
        events.map((event) => event.seq),
      );
      expect(events.find((event) => event.type === 'tool_executing')?.payload).toMatchObject({
        toolName: 'clock',
      });
      expect(other.events()).toEqual([]);
    } finally {
      await Promise.all([tab1.close(), tab2.close(), other.close()]);
    }
  });
});
