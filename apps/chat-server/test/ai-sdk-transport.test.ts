/**
 * `GET /ai-sdk/ws` driven by the real `ai@7` package (docs/interop.md#1-ai-sdk-websocketchattransport):
 * `WebSocketChatTransport` with `ws` as its WebSocket and `readUIMessageStream`, against a real
 * started chat server; and raw frames for what the transport never sends.
 */
import { randomBytes } from 'node:crypto';
import { safeValidateUIMessages, type UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiSdkTransport, finalMessage, readChunks, send } from './support/ai-sdk.js';
import { ChatClient, type Frame } from './support/chat-client.js';
import { api, json, type MessageItem, type PageBody } from './support/history-api.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test.server.close();
});

const chatId = (): string => `chat_${randomBytes(6).toString('hex')}`;

/** A raw socket on `/ai-sdk/ws` that records the server's frames. */
function rawSocket(token: string): Promise<ChatClient> {
  return ChatClient.connect(test.wsUrl, token, {}, { path: '/ai-sdk/ws', protocol: 'ai-sdk' });
}

/** The stored messages of a thread once its assistant message has a status. */
async function historyWhenSettled(token: string, threadId: string): Promise<MessageItem[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const page = await json<PageBody<MessageItem>>(
      api(test.url, token, `/api/v1/threads/${threadId}/messages`),
    ).catch(() => undefined);
    const items = page?.items ?? [];
    if (items.some((m) => m.role === 'assistant' && m.status !== undefined)) return items;
    if (Date.now() > deadline) throw new Error(`no settled history: ${JSON.stringify(items)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Parts without the SDK's undefined fields, for comparing two messages. */
function plain(message: UIMessage): unknown {
  return JSON.parse(JSON.stringify(message.parts));
}

describe('the AI SDK transport against a real server', () => {
  it('a calculator run: reasoning, the calculator part with output 84, text with 84', async () => {
    const token = await devLogin(test.url, 'ai-alice');
    const transport = aiSdkTransport(test.url, token);
    try {
      const message = await finalMessage(await send(transport, chatId(), 'what is 12*(3+4)?'));
      expect(message.role).toBe('assistant');
      expect(message.id).toMatch(/^r_/);
      const parts = message.parts;
      expect(parts.some((p) => p.type === 'reasoning' && p.text.length > 0)).toBe(true);
      const tool = parts.find((p) => p.type === 'tool-calculator');
      expect(tool).toMatchObject({
        state: 'output-available',
        input: { expression: '12*(3+4)' },
        output: 84,
      });
      const text = parts.filter((p) => p.type === 'text').map((p) => p.text);
      expect(text.join('')).toContain('84');
      expect(parts.at(-1)).toMatchObject({ type: 'text', state: 'done' });
    } finally {
      transport.close();
    }
  });

  it('slow 3 cut after 4 chunks and continued by reconnectToStream on a new transport: the uncut message', async () => {
    const token = await devLogin(test.url, 'ai-bob');
    const uncut = aiSdkTransport(test.url, token);
    const first = aiSdkTransport(test.url, token);
    const second = aiSdkTransport(test.url, token);
    try {
      const whole = finalMessage(await send(uncut, chatId(), 'slow 3'));

      const chat = chatId();
      const chunks = await readChunks(await send(first, chat, 'slow 3'), 4);
      expect(chunks.map((c) => c.type)).toEqual([
        'start',
        'start-step',
        'reasoning-start',
        'reasoning-delta',
      ]);
      // A lost connection, not an abort: the run goes on.
      first.close();
      const resumed = await second.reconnectToStream({ chatId: chat });
      expect(resumed).not.toBeNull();
      const message = await finalMessage(resumed!);

      const reference = await whole;
      expect(message.id).toBe((chunks[0] as { messageId: string }).messageId);
      expect(plain(message)).toEqual(plain(reference));
      expect(message.parts.at(-1)).toMatchObject({ type: 'text', text: 'Done after 3 seconds.' });
      const history = await historyWhenSettled(token, chat);
      expect(history.find((m) => m.role === 'assistant')?.status).toBe('success');
    } finally {
      for (const t of [uncut, first, second]) t.close();
    }
  });

  it('abort cancels the run: the stream stops and history says cancelled', async () => {
    const token = await devLogin(test.url, 'ai-carol');
    const transport = aiSdkTransport(test.url, token);
    try {
      const chat = chatId();
      const abort = new AbortController();
      const stream = await send(transport, chat, 'slow 10', { abortSignal: abort.signal });
      await readChunks(stream, 4);
      abort.abort();
      const history = await historyWhenSettled(token, chat);
      expect(history.map((m) => [m.role, m.status])).toEqual([
        ['user', undefined],
        ['assistant', 'cancelled'],
      ]);
    } finally {
      transport.close();
    }
  });

  it('reconnectToStream on a chat that has no run gives null', async () => {
    const token = await devLogin(test.url, 'ai-dave');
    const transport = aiSdkTransport(test.url, token);
    try {
      expect(await transport.reconnectToStream({ chatId: chatId() })).toBeNull();
    } finally {
      transport.close();
    }
  });

  it('a run started here is an ordinary run: the user’s /ws tab shows it live', async () => {
    const token = await devLogin(test.url, 'ai-erin');
    const tab = await ChatClient.connect(test.wsUrl, token);
    const transport = aiSdkTransport(test.url, token);
    try {
      await tab.waitForType('welcome');
      const chat = chatId();
      const message = await finalMessage(await send(transport, chat, 'what is 2+2?'));
      const completed = await tab.waitForType('agent_completed', message.id);
      expect(completed).toMatchObject({ threadId: chat, payload: { status: 'success' } });
      expect(tab.runEvents(message.id)[0]).toMatchObject({
        type: 'user_message',
        payload: { text: 'what is 2+2?' },
      });
    } finally {
      transport.close();
      await tab.close();
    }
  });
});

describe('GET /api/v1/threads/:threadId/ui-messages', () => {
  it('gives the thread as UIMessages the SDK accepts, ending in the message the stream made', async () => {
    const token = await devLogin(test.url, 'ui-gina');
    const transport = aiSdkTransport(test.url, token);
    try {
      const chat = chatId();
      const live = await finalMessage(await send(transport, chat, 'what is 12*(3+4)?'));
      await historyWhenSettled(token, chat);
      const messages = await json<UIMessage[]>(
        api(test.url, token, `/api/v1/threads/${chat}/ui-messages`),
      );
      expect((await safeValidateUIMessages({ messages })).success).toBe(true);
      expect(messages).toEqual([
        {
          id: expect.stringMatching(/^m_/),
          role: 'user',
          parts: [{ type: 'text', text: 'what is 12*(3+4)?' }],
        },
        {
          id: live.id,
          role: 'assistant',
          parts: [
            {
              type: 'tool-calculator',
              toolCallId: (
                live.parts.find((p) => p.type === 'tool-calculator') as { toolCallId: string }
              ).toolCallId,
              state: 'output-available',
              input: { expression: '12*(3+4)' },
              output: 84,
            },
            { type: 'text', text: '12*(3+4) = 84.', state: 'done' },
          ],
        },
      ]);
      const other = await devLogin(test.url, 'ui-hank');
      expect((await api(test.url, other, `/api/v1/threads/${chat}/ui-messages`)).status).toBe(404);
      expect((await fetch(`${test.url}/api/v1/threads/${chat}/ui-messages`)).status).toBe(401);
      expect((await api(test.url, token, `/api/v1/threads/${chatId()}/ui-messages`)).status).toBe(
        404,
      );
    } finally {
      transport.close();
    }
  });
});

describe('/ai-sdk/ws over raw frames', () => {
  const resume = (requestId: string, id: string, lastSequence?: number): object => ({
    type: 'resume',
    requestId,
    id,
    ...(lastSequence === undefined ? {} : { lastSequence }),
    headers: {},
    body: {},
  });
  const sendFrame = (requestId: string, id: string, text: string): object => ({
    type: 'send',
    requestId,
    id,
    trigger: 'submit-message',
    messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text }] }],
    headers: {},
    body: {},
  });
  const of = (socket: ChatClient, requestId: string): Frame[] =>
    socket.frames.filter((f) => f.requestId === requestId);

  it('selects ai-sdk, never the credential', async () => {
    const socket = await rawSocket(await devLogin(test.url, 'raw-zoe'));
    expect(socket.socket.protocol).toBe('ai-sdk');
    await socket.close();
  });

  it('answers invalid requests with error (with the requestId when readable) and goes on', async () => {
    const socket = await rawSocket(await devLogin(test.url, 'raw-amy'));
    try {
      socket.send({ type: 'send', requestId: 'bad1', id: 'x' });
      socket.send({ type: 'nonsense', requestId: 'bad2' });
      socket.socket.send('{not json');
      socket.send(sendFrame('bad3', 'has a space', 'hi'));
      socket.send(resume('ok1', chatId()));
      await socket.waitFor((f) => f.requestId === 'ok1', 'the answer to ok1');
      expect(socket.frames.slice(0, 5)).toEqual([
        {
          type: 'error',
          requestId: 'bad1',
          errorText: expect.stringMatching(/^invalid_message: /),
        },
        {
          type: 'error',
          requestId: 'bad2',
          errorText: expect.stringMatching(/^invalid_message: /),
        },
        { type: 'error', errorText: 'invalid_json: the frame is not JSON' },
        { type: 'error', requestId: 'bad3', errorText: expect.stringContaining('chat id') },
        { type: 'no-active', requestId: 'ok1' },
      ]);
    } finally {
      await socket.close();
    }
  });

  it('numbers chunks from 0 without a gap, and resumes after lastSequence', async () => {
    const token = await devLogin(test.url, 'raw-ben');
    const socket = await rawSocket(token);
    try {
      const chat = chatId();
      socket.send(sendFrame('s1', chat, 'what is 6*7?'));
      await socket.waitFor((f) => f.requestId === 's1' && f.type === 'end', 'end of s1');
      const frames = of(socket, 's1');
      expect(frames[0]).toEqual({ type: 'start', requestId: 's1' });
      expect(frames.at(-1)).toEqual({ type: 'end', requestId: 's1' });
      const chunks = frames.filter((f) => f.type === 'chunk');
      expect(chunks.map((f) => f.sequence)).toEqual(chunks.map((_, i) => i));
      expect(chunks.at(-1)?.chunk).toEqual({ type: 'finish' });

      socket.send(resume('r1', chat, 9));
      await socket.waitFor((f) => f.requestId === 'r1' && f.type === 'end', 'end of r1');
      const resumed = of(socket, 'r1').filter((f) => f.type === 'chunk');
      expect(resumed).toEqual(chunks.slice(10).map((f) => ({ ...f, requestId: 'r1' })));
    } finally {
      await socket.close();
    }
  });

  it('regenerate-message runs the last user message again as a new run of the thread', async () => {
    const token = await devLogin(test.url, 'raw-hal');
    const socket = await rawSocket(token);
    try {
      const chat = chatId();
      socket.send(sendFrame('g1', chat, 'what is 1+1?'));
      await socket.waitFor((f) => f.requestId === 'g1' && f.type === 'end', 'end of g1');
      socket.send({ ...sendFrame('g2', chat, 'what is 1+1?'), trigger: 'regenerate-message' });
      await socket.waitFor((f) => f.requestId === 'g2' && f.type === 'end', 'end of g2');
      const runOf = (requestId: string): unknown =>
        (of(socket, requestId).find((f) => f.type === 'chunk')?.chunk as { messageId?: string })
          ?.messageId;
      expect(runOf('g2')).not.toBe(runOf('g1'));
      // Two user messages and two answers (the writes may trail the stream on a loaded machine).
      const deadline = Date.now() + 10_000;
      let items: MessageItem[] = [];
      while (Date.now() < deadline) {
        items = (
          await json<PageBody<MessageItem>>(
            api(test.url, token, `/api/v1/threads/${chat}/messages`),
          )
        ).items;
        if (items.filter((m) => m.status !== undefined).length === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(items.map((m) => [m.role, m.status])).toEqual([
        ['user', undefined],
        ['assistant', 'success'],
        ['user', undefined],
        ['assistant', 'success'],
      ]);
      expect(items[0]?.text).toBe('what is 1+1?');
      expect(items[2]?.text).toBe('what is 1+1?');
    } finally {
      await socket.close();
    }
  });

  it('keeps users apart: another user’s chat id is another thread', async () => {
    const alice = await rawSocket(await devLogin(test.url, 'raw-alice'));
    const mallory = await rawSocket(await devLogin(test.url, 'raw-mallory'));
    try {
      const chat = chatId();
      alice.send(sendFrame('a1', chat, 'slow 3'));
      await alice.waitFor((f) => f.requestId === 'a1' && f.type === 'chunk', 'a chunk of a1');
      mallory.send(resume('m1', chat));
      mallory.send({ type: 'abort', requestId: 'a1' });
      await mallory.waitFor((f) => f.requestId === 'a1', 'the answer to the abort');
      expect(of(mallory, 'm1')).toEqual([{ type: 'no-active', requestId: 'm1' }]);
      expect(of(mallory, 'a1')).toEqual([
        { type: 'error', requestId: 'a1', errorText: expect.stringMatching(/^not_found: /) },
      ]);
      await alice.waitFor((f) => f.requestId === 'a1' && f.type === 'end', 'end of a1');
      const last = of(alice, 'a1')
        .filter((f) => f.type === 'chunk')
        .at(-1);
      expect(last?.chunk).toEqual({ type: 'finish' });
    } finally {
      await alice.close();
      await mallory.close();
    }
  });

  it('abort ends the stream with abort, then end', async () => {
    const socket = await rawSocket(await devLogin(test.url, 'raw-cid'));
    try {
      socket.send(sendFrame('s2', chatId(), 'slow 10'));
      await socket.waitFor((f) => f.requestId === 's2' && f.type === 'chunk', 'a chunk');
      socket.send({ type: 'abort', requestId: 's2' });
      await socket.waitFor((f) => f.requestId === 's2' && f.type === 'end', 'end of s2');
      const frames = of(socket, 's2');
      expect(frames.at(-2)).toMatchObject({ type: 'chunk', chunk: { type: 'abort' } });
    } finally {
      await socket.close();
    }
  });

  it('an unknown agent is an error naming its code', async () => {
    const socket = await rawSocket(await devLogin(test.url, 'raw-dan'));
    try {
      socket.send({ ...sendFrame('s3', chatId(), 'hi'), body: { agent: 'nobody' } });
      const answer = await socket.waitFor((f) => f.requestId === 's3', 'the answer to s3');
      expect(answer).toMatchObject({
        type: 'error',
        errorText: expect.stringMatching(/^unknown_agent: /),
      });
    } finally {
      await socket.close();
    }
  });

  it('refuses an upgrade without credentials (401) and takes a ticket', async () => {
    await expect(
      ChatClient.connect(test.wsUrl, undefined, {}, { path: '/ai-sdk/ws', protocol: 'ai-sdk' }),
    ).rejects.toThrow('HTTP 401');
    const token = await devLogin(test.url, 'raw-eve');
    const issued = await fetch(`${test.url}/api/v1/ws-ticket`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    const { ticket } = (await issued.json()) as { ticket: string };
    const socket = await ChatClient.connect(
      test.wsUrl,
      undefined,
      { ticket },
      { path: '/ai-sdk/ws', protocol: 'ai-sdk' },
    );
    socket.send(resume('t1', chatId()));
    expect(await socket.waitFor((f) => f.requestId === 't1')).toEqual({
      type: 'no-active',
      requestId: 't1',
    });
    await socket.close();
  });

  it('closes with 1008 after 10 invalid frames, as /ws does', async () => {
    const socket = await rawSocket(await devLogin(test.url, 'raw-gus'));
    for (let i = 0; i < 10; i++) socket.send({ type: 'send', requestId: `bad${i}` });
    expect((await socket.closed).code).toBe(1008);
    expect(socket.frames.filter((f) => f.type === 'error')).toHaveLength(10);
  });

  it('the drop-connections test hook drops the user’s /ai-sdk/ws sockets too', async () => {
    const token = await devLogin(test.url, 'raw-fay');
    const socket = await rawSocket(token);
    const response = await fetch(`${test.url}/api/v1/test/drop-connections`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'raw-fay' }),
    });
    expect(await response.json()).toEqual({ dropped: 1 });
    expect((await socket.closed).code).toBe(1006);
  });
});

describe('/ai-sdk/ws under the user rate limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ WS_RATE_PER_SECOND: '1', WS_RATE_BURST: '3' });
  });
  afterAll(async () => {
    await limited.server.close();
  });

  it('answers frames past the limit with error rate_limited naming their request', async () => {
    const token = await devLogin(limited.url, 'rate-ivy');
    const socket = await ChatClient.connect(
      limited.wsUrl,
      token,
      {},
      {
        path: '/ai-sdk/ws',
        protocol: 'ai-sdk',
      },
    );
    try {
      for (let i = 0; i < 8; i++) {
        socket.send({ type: 'resume', requestId: `q${i}`, id: chatId(), headers: {}, body: {} });
      }
      await socket.waitFor((f) => f.requestId === 'q7', 'the answer to q7');
      // Each request is answered once: no-active within the burst, rate_limited past it (how
      // many pass depends on how fast a loaded machine serves them: at least the burst of 3).
      expect(socket.frames.map((f) => f.requestId)).toEqual(
        Array.from({ length: 8 }, (_, i) => `q${i}`),
      );
      const refused = socket.frames.filter((f) => f.type === 'error');
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThanOrEqual(5);
      for (const frame of refused) {
        expect(frame.errorText).toBe('rate_limited: too many messages; slow down');
      }
      expect(socket.frames.slice(0, 3).map((f) => f.type)).toEqual(Array(3).fill('no-active'));
    } finally {
      await socket.close();
    }
  });
});
