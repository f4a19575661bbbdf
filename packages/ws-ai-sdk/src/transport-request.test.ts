import type { UIMessage, WebSocketChatTransportSendRequest } from 'ai';
import { describe, expect, it } from 'vitest';
import { isChatId, readChatRequest, readTransportRequest } from './transport-request';

function send(overrides: Partial<WebSocketChatTransportSendRequest> = {}) {
  return {
    type: 'send',
    requestId: 'q1',
    id: 'chat_1',
    trigger: 'submit-message',
    messageId: undefined,
    messages: [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'first' }] },
      { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'answer' }] },
      {
        id: 'u2',
        role: 'user',
        parts: [
          { type: 'text', text: 'what is ' },
          { type: 'text', text: '12*(3+4)?' },
        ],
      },
    ] satisfies UIMessage[],
    headers: {},
    body: {},
    metadata: undefined,
    ...overrides,
  } as WebSocketChatTransportSendRequest;
}

describe('readTransportRequest', () => {
  it('accepts the three requests of the transport', async () => {
    for (const frame of [
      send(),
      { type: 'resume', requestId: 'q2', id: 'chat_1', headers: {}, body: {} },
      { type: 'resume', requestId: 'q3', id: 'chat_1', lastSequence: 4, headers: {}, body: {} },
      { type: 'abort', requestId: 'q1' },
    ]) {
      const read = await readTransportRequest(JSON.stringify(frame));
      expect(read).toMatchObject({ ok: true, request: { type: frame.type } });
    }
  });

  it('refuses what is not JSON, with no request id', async () => {
    expect(await readTransportRequest('{nope')).toEqual({
      ok: false,
      requestId: undefined,
      errorText: 'invalid_json: the frame is not JSON',
    });
  });

  it.each([
    ['an unknown type', { type: 'shout', requestId: 'q9' }, 'q9'],
    ['a send without messages', { ...send(), messages: undefined }, 'q1'],
    ['a send with a bad trigger', { ...send(), trigger: 'again' }, 'q1'],
    [
      'a resume with a negative sequence',
      { type: 'resume', requestId: 'q4', id: 'c', lastSequence: -1, headers: {}, body: {} },
      'q4',
    ],
    ['an abort without a request id', { type: 'abort' }, undefined],
    ['a request id that is not a string', { type: 'abort', requestId: 7 }, undefined],
    ['an array', [1, 2], undefined],
  ])('refuses %s, keeping the request id when readable', async (_name, frame, requestId) => {
    const read = await readTransportRequest(JSON.stringify(frame));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.requestId).toBe(requestId);
    expect(read.errorText).toMatch(/^invalid_message: /);
  });
});

describe('readChatRequest', () => {
  it('takes the thread from the chat id and the concatenated text parts of the last user message', () => {
    expect(readChatRequest(send())).toEqual({
      ok: true,
      threadId: 'chat_1',
      text: 'what is 12*(3+4)?',
      agent: 'assistant',
    });
  });

  it('names the agent from body.agent, and regenerates the same last user message', () => {
    expect(
      readChatRequest(send({ body: { agent: 'llm' }, trigger: 'regenerate-message' })),
    ).toMatchObject({
      ok: true,
      agent: 'llm',
      text: 'what is 12*(3+4)?',
    });
  });

  it.each([
    ['an id with a dot', send({ id: 'a.b' }), 'chat id'],
    ['an empty id', send({ id: '' }), 'chat id'],
    ['an id of 129 characters', send({ id: 'x'.repeat(129) }), 'chat id'],
    ['a non-string agent', send({ body: { agent: 3 } }), 'body.agent'],
    ['no user message', send({ messages: [] }), 'no user message'],
    [
      'a last user message without text',
      send({
        messages: [
          {
            id: 'u',
            role: 'user',
            parts: [{ type: 'file', mediaType: 'image/png', url: 'data:,' }],
          },
        ],
      }),
      'no user message',
    ],
  ])('refuses %s', (_name, request, what) => {
    const read = readChatRequest(request);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errorText).toContain(what);
  });

  it('accepts ids of 1 to 128 of A-Z a-z 0-9 _ -', () => {
    expect(isChatId('a')).toBe(true);
    expect(isChatId('A-z_0'.repeat(25) + 'abc')).toBe(true);
    expect(isChatId('a b')).toBe(false);
    expect(isChatId('é')).toBe(false);
  });
});
