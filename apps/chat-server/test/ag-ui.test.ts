/**
 * AG-UI against a real started chat server, driven by the real `@ag-ui/client` `HttpAgent`
 * (docs/interop.md#2-ag-ui-httpagent): its own event verification, resume after
 * `Last-Event-ID`, cancel, credentials, and the run as an ordinary run of the user.
 */
import { HttpAgent } from '@ag-ui/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { postAgUi, readSse, runAgentInput, type SseMessage } from './support/ag-ui-sse.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  test = await startTestServer();
  for (const name of ['alice', 'bob', 'carol', 'dave'])
    tokens[name] = await devLogin(test.url, name);
});

afterAll(async () => {
  await test.server.close();
});

function agentFor(token: string, threadId?: string): HttpAgent {
  return new HttpAgent({
    url: `${test.url}/ag-ui`,
    headers: { Authorization: `Bearer ${token}` },
    ...(threadId === undefined ? {} : { threadId }),
  });
}

/** The run's events again, after `lastEventId` (all when undefined). */
function resume(
  runId: string,
  token: string | undefined,
  position?: { header?: string; after?: string },
): Promise<Response> {
  const query = position?.after === undefined ? '' : `?after=${position.after}`;
  return fetch(`${test.url}/ag-ui/runs/${runId}/events${query}`, {
    headers: {
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...(position?.header === undefined ? {} : { 'Last-Event-ID': position.header }),
    },
  });
}

/** The SSE text of messages, as the server writes them (for HttpAgent to read again). */
function sseText(messages: readonly SseMessage[]): string {
  return messages.map((m) => `id: ${m.id}\ndata: ${JSON.stringify(m.event)}\n\n`).join('');
}

/**
 * Sends a request that must be refused, once more if it went out on a pooled keep-alive connection
 * the server had just closed (undici's `UND_ERR_SOCKET`, "other side closed", seen once on a loaded
 * CI machine): the refusal is what is tested here, not the connection pool.
 */
async function refusal(send: () => Promise<Response>): Promise<Response> {
  try {
    return await send();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return send();
  }
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('POST /ag-ui with the real HttpAgent', () => {
  it('a calculator run passes HttpAgent’s verification and its new messages hold 84', async () => {
    const agent = agentFor(tokens.alice!);
    agent.addMessage({ id: 'u-calc', role: 'user', content: 'what is 12*(3+4)?' });
    const seen: string[] = [];
    const { newMessages } = await agent.runAgent(undefined, {
      onEvent: ({ event }) => {
        seen.push(event.type);
      },
    });
    expect(seen[0]).toBe('RUN_STARTED');
    expect(seen.at(-1)).toBe('RUN_FINISHED');
    expect(seen).toEqual(expect.arrayContaining(['REASONING_START', 'TOOL_CALL_START']));
    const assistant = newMessages.filter((m) => m.role === 'assistant');
    expect(
      assistant.some((m) =>
        m.toolCalls?.some(
          (call) =>
            call.function.name === 'calculator' &&
            (JSON.parse(call.function.arguments) as { expression: string }).expression ===
              '12*(3+4)',
        ),
      ),
    ).toBe(true);
    expect(newMessages.find((m) => m.role === 'tool')).toMatchObject({ content: '84' });
    expect(assistant.some((m) => typeof m.content === 'string' && m.content.includes('84'))).toBe(
      true,
    );
  });

  it('keeps the client’s run id, shows the run on the user’s /ws tab, stores it in history', async () => {
    const tab = await ChatClient.connect(test.wsUrl, tokens.carol);
    try {
      await tab.waitForType('welcome');
      const threadId = `t_carol_${Date.now()}`;
      const runId = `run-${crypto.randomUUID()}`;
      const agent = agentFor(tokens.carol!, threadId);
      agent.addMessage({ id: 'u1', role: 'user', content: 'what is 12*(3+4)?' });
      let started: unknown;
      await agent.runAgent({ runId }, { onRunStartedEvent: ({ event }) => void (started = event) });
      expect(started).toMatchObject({ runId, threadId });
      // The /ws tab saw the run as any chat run of this user.
      const completed = await tab.waitForType('agent_completed', runId);
      expect(completed.payload).toMatchObject({ status: 'success' });
      const ws = tab.runEvents(runId).map((event) => event.type);
      expect(ws.slice(0, 2)).toEqual(['user_message', 'agent_started']);
      const history = await fetch(`${test.url}/api/v1/threads/${threadId}/messages`, {
        headers: { Authorization: `Bearer ${tokens.carol}` },
      });
      const { items } = (await history.json()) as { items: { role: string; runId: string }[] };
      expect(items.map((m) => [m.role, m.runId])).toEqual([
        ['user', runId],
        ['assistant', runId],
      ]);
      // The same id again names a run already: the server makes one, RUN_STARTED says which.
      const again = agentFor(tokens.carol!, threadId);
      again.addMessage({ id: 'u2', role: 'user', content: 'hello' });
      let second: { runId?: string } = {};
      await again.runAgent({ runId }, { onRunStartedEvent: ({ event }) => void (second = event) });
      expect(second.runId).toMatch(/^r_/);
    } finally {
      await tab.close();
    }
  });

  it('a stream cut after 3 events and resumed with Last-Event-ID joins to exactly the uncut run', async () => {
    const controller = new AbortController();
    const response = await postAgUi(
      test.url,
      tokens.alice,
      runAgentInput('slow 3 what is 12*(3+4)?'),
      controller.signal,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const cut = await readSse(response, { limit: 3, abort: () => controller.abort() });
    expect(cut.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    const runId = String(cut.messages[0]!.event.runId);

    // The client went away: the run goes on, and the resume takes it from event 4.
    const rest = await readSse(await resume(runId, tokens.alice, { header: '3' }));
    const whole = await readSse(await resume(runId, tokens.alice));
    const joined = [...cut.messages, ...rest.messages];
    expect(joined.map((m) => m.id)).toEqual(whole.messages.map((_, i) => i + 1));
    expect(joined).toEqual(whole.messages);
    expect(whole.messages.at(-1)?.event.type).toBe('RUN_FINISHED');
    expect(whole.messages.filter((m) => m.event.type === 'REASONING_START').length).toBeGreaterThan(
      3,
    );
    // ?after= is the same position; past the end there is nothing to send.
    expect((await readSse(await resume(runId, tokens.alice, { after: '3' }))).messages).toEqual(
      rest.messages,
    );
    expect((await readSse(await resume(runId, tokens.alice, { after: '999' }))).messages).toEqual(
      [],
    );

    // The joined stream passes HttpAgent's verification as one run.
    const replay = new HttpAgent({
      url: `${test.url}/ag-ui`,
      fetch: () =>
        Promise.resolve(
          new Response(sseText(joined), { headers: { 'content-type': 'text/event-stream' } }),
        ),
    });
    const { newMessages } = await replay.runAgent();
    const text = whole.messages
      .filter((m) => m.event.type === 'TEXT_MESSAGE_CONTENT')
      .map((m) => String(m.event.delta))
      .join('');
    expect(text.length).toBeGreaterThan(0);
    expect(newMessages.filter((m) => m.role === 'assistant').map((m) => m.content)).toContain(text);
  });

  it('DELETE cancels the run: its stream ends RUN_FINISHED cancelled and history says cancelled', async () => {
    const input = runAgentInput('slow 10');
    const response = await postAgUi(test.url, tokens.dave, input);
    const head = readSse(response);
    // Wait for the run to exist, through the resume endpoint (numbers alike).
    const first = await readSse(await resume(String(input.runId), tokens.dave), { limit: 1 });
    const runId = String(first.messages[0]!.event.runId);
    const deleted = await fetch(`${test.url}/ag-ui/runs/${runId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${tokens.dave}` },
    });
    expect(deleted.status).toBe(202);
    const { messages } = await head;
    expect(messages.at(-1)?.event).toMatchObject({
      type: 'RUN_FINISHED',
      outcome: { type: 'cancelled' },
    });
    const history = await fetch(`${test.url}/api/v1/threads/${String(input.threadId)}/messages`, {
      headers: { Authorization: `Bearer ${tokens.dave}` },
    });
    const { items } = (await history.json()) as { items: { role: string; status?: string }[] };
    expect(items.find((m) => m.role === 'assistant')?.status).toBe('cancelled');
    // Ended: nothing to cancel.
    const again = await fetch(`${test.url}/ag-ui/runs/${runId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${tokens.dave}` },
    });
    expect(again.status).toBe(404);
  });
});

describe('refusals before any stream', () => {
  it('another user’s run is 404, to resume and to cancel; an unknown run too', async () => {
    const input = runAgentInput('slow 2');
    const response = await postAgUi(test.url, tokens.alice, input);
    const running = readSse(response);
    const runId = String(input.runId);
    const other = await resume(runId, tokens.bob);
    expect(other.status).toBe(404);
    expect((await errorOf(other)).code).toBe('not_found');
    const cancel = await fetch(`${test.url}/ag-ui/runs/${runId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${tokens.bob}` },
    });
    expect(cancel.status).toBe(404);
    expect((await resume('r_unknown', tokens.alice)).status).toBe(404);
    // Bob's attempts did not touch it.
    expect((await running).messages.at(-1)?.event.type).toBe('RUN_FINISHED');
  });

  it('an invalid RunAgentInput is 400 with a JSON error; invalid JSON too', async () => {
    for (const body of [
      { threadId: 't_x' },
      { ...runAgentInput('x'), messages: 'hello' },
      { ...runAgentInput('x'), threadId: 'has/slash' },
      { ...runAgentInput('x'), messages: [] },
    ]) {
      const response = await postAgUi(test.url, tokens.alice, body);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid_request');
    }
    const broken = await postAgUi(test.url, tokens.alice, '{"threadId":');
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).code).toBe('invalid_json');
    const position = await resume('r_x', tokens.alice, { header: 'abc' });
    expect(position.status).toBe(400);
  });

  it('takes a long conversation (over the API’s 64 KiB) and refuses a body over 1 MiB with 413', async () => {
    const earlier = Array.from({ length: 40 }, (_, i) => ({
      id: `old-${i}`,
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: 'x'.repeat(4096),
    }));
    const long = runAgentInput('what is 1+1?');
    long.messages = [...earlier, ...(long.messages as object[])];
    const accepted = await postAgUi(test.url, tokens.bob, long);
    expect(accepted.status).toBe(200);
    expect((await readSse(accepted)).messages.at(-1)?.event.type).toBe('RUN_FINISHED');
    const huge = runAgentInput('hi', { state: { blob: 'x'.repeat(1_100_000) } });
    const refused = await postAgUi(test.url, tokens.bob, huge);
    expect(refused.status).toBe(413);
    expect((await errorOf(refused)).code).toBe('payload_too_large');
  });

  it('an unknown agent is 404', async () => {
    const response = await postAgUi(
      test.url,
      tokens.alice,
      runAgentInput('hi', { forwardedProps: { agent: 'nobody' } }),
    );
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toMatch(/nobody/);
  });

  it('a missing or invalid credential is 401 on every route', async () => {
    const responses = [
      await refusal(() => postAgUi(test.url, undefined, runAgentInput('hi'))),
      await refusal(() => postAgUi(test.url, 'not-a-jwt', runAgentInput('hi'))),
      await refusal(() => resume('r_x', undefined)),
      await refusal(() => fetch(`${test.url}/ag-ui/runs/r_x`, { method: 'DELETE' })),
    ];
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
    // HttpAgent sees the refusal as an HTTP error, not as a stream.
    const agent = new HttpAgent({ url: `${test.url}/ag-ui` });
    agent.addMessage({ id: 'u', role: 'user', content: 'hi' });
    await expect(agent.runAgent()).rejects.toMatchObject({ status: 401 });
  });
});
