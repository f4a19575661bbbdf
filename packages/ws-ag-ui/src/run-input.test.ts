import { describe, expect, it } from 'vitest';
import { CLIENT_ID_PATTERN, lastUserText, readRunAgentInput } from './run-input';

const valid = {
  threadId: 't_1',
  runId: '8a6f1b52-4f0e-4d4c-9a43-0d1c5e0f7a11',
  messages: [
    { id: 'u0', role: 'user', content: 'earlier' },
    { id: 'a0', role: 'assistant', content: 'answer' },
    { id: 'u1', role: 'user', content: 'what is 12*(3+4)?' },
  ],
  tools: [],
  context: [],
  state: {},
  forwardedProps: {},
};

describe('readRunAgentInput', () => {
  it('reads the thread, the last user text, the agent and a valid client run id', () => {
    const result = readRunAgentInput({ ...valid, forwardedProps: { agent: 'llm' } });
    expect(result).toMatchObject({
      ok: true,
      threadId: 't_1',
      text: 'what is 12*(3+4)?',
      agent: 'llm',
      runId: valid.runId,
    });
  });

  it('fills the defaults of AG-UI (tools, context) and takes no agent as the default one', () => {
    const { tools: _t, context: _c, state: _s, forwardedProps: _f, ...bare } = valid;
    const result = readRunAgentInput(bare);
    expect(result).toMatchObject({ ok: true, agent: undefined });
    if (result.ok) expect(result.input).toMatchObject({ tools: [], context: [] });
  });

  it('gives no run id for a client run id that breaks the id rules (the server makes one)', () => {
    for (const runId of ['', 'has space', 'a'.repeat(129), 'dot.ted']) {
      expect(readRunAgentInput({ ...valid, runId })).toMatchObject({ ok: true, runId: undefined });
    }
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['no threadId', { ...valid, threadId: undefined }],
    ['no messages', { ...valid, messages: undefined }],
    ['a message without a role', { ...valid, messages: [{ id: 'x', content: 'hi' }] }],
    ['tools not an array', { ...valid, tools: 'calculator' }],
    ['a numeric runId', { ...valid, runId: 7 }],
  ])('refuses a body that fails the AG-UI schema: %s', (_what, body) => {
    const result = readRunAgentInput(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Not a RunAgentInput/);
  });

  it.each([
    ['an empty thread id', { ...valid, threadId: '' }, /threadId/],
    ['a thread id with a slash', { ...valid, threadId: 'a/b' }, /threadId/],
    ['a 129-character thread id', { ...valid, threadId: 'x'.repeat(129) }, /threadId/],
    [
      'no user message',
      { ...valid, messages: [{ id: 'a', role: 'assistant', content: 'hi' }] },
      /user message/,
    ],
    [
      'an empty last user message',
      { ...valid, messages: [{ id: 'u', role: 'user', content: '' }] },
      /user message/,
    ],
    ['a non-string agent', { ...valid, forwardedProps: { agent: 3 } }, /agent/],
  ])('refuses %s', (_what, body, message) => {
    const result = readRunAgentInput(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('takes a 128-character thread id of every allowed character class', () => {
    const threadId = `Az09_-${'k'.repeat(122)}`;
    expect(readRunAgentInput({ ...valid, threadId })).toMatchObject({ ok: true, threadId });
    expect(CLIENT_ID_PATTERN.test(threadId)).toBe(true);
  });
});

describe('lastUserText', () => {
  it('joins the text parts of a multi-part user message and skips the others', () => {
    expect(
      lastUserText([
        { id: 'u', role: 'user', content: 'old' },
        {
          id: 'v',
          role: 'user',
          content: [
            { type: 'text', text: 'what is ' },
            { type: 'image', source: { type: 'url', value: 'https://example.com/x.png' } },
            { type: 'text', text: '2+2?' },
          ],
        },
        { id: 'a', role: 'assistant', content: 'later' },
      ]),
    ).toBe('what is 2+2?');
    expect(lastUserText([])).toBeUndefined();
  });
});
