import { describe, expect, it } from 'vitest';
import type { ClientMessage } from './client-messages.js';
import { parseClientMessage, validateClientMessage } from './parse-client-message.js';
import type { ParseError } from './parse-result.js';

const ID_ERROR = 'id must be a string of 1 to 128 characters or a number';
const TEXT_ERROR = 'chat.text must be 1 to 16384 characters';

function accepted(frame: unknown): ClientMessage {
  const result = parseClientMessage(JSON.stringify(frame));
  if (!result.ok) throw new Error(`refused: ${result.error.message}`);
  return result.message;
}

function refused(data: string): ParseError {
  const result = parseClientMessage(data);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.message)}`);
  return result.error;
}

describe('parseClientMessage: framing', () => {
  it.each(['not json', '', '{"type":"ping"', '[{"type":"ping"}]', '"ping"', '42', 'null', 'true'])(
    'refuses %j as invalid_json',
    (data) => {
      expect(refused(data)).toEqual({
        code: 'invalid_json',
        message: 'frame must be a JSON object',
      });
    },
  );

  it('refuses a missing or non-string type as invalid_message, echoing a valid id', () => {
    expect(refused('{}')).toEqual({
      code: 'invalid_message',
      message: 'type must be one of ping, chat, cancel, resume, auth',
    });
    expect(refused('{"type":5,"id":"a"}')).toMatchObject({ code: 'invalid_message', ref: 'a' });
    expect(refused('{"type":null,"id":3}')).toMatchObject({ code: 'invalid_message', ref: 3 });
  });

  it.each(['hello', 'Ping', 'toString', '__proto__', 'welcome', ''])(
    'refuses type %j as unknown_type, echoing the id',
    (type) => {
      const error = refused(JSON.stringify({ type, id: 'm1' }));
      expect(error.code).toBe('unknown_type');
      expect(error.ref).toBe('m1');
      expect(error.message).toBe(
        `unknown message type ${JSON.stringify(type)}; expected one of ping, chat, cancel, resume, auth`,
      );
    },
  );

  it('quotes only the start of a huge unknown type', () => {
    const error = refused(JSON.stringify({ type: 'x'.repeat(10_000) }));
    expect(error.code).toBe('unknown_type');
    expect(error.message.length).toBeLessThan(200);
  });

  it('reports unknown_type before a bad id, and then has no ref', () => {
    expect(refused('{"type":"nope","id":""}')).toEqual({
      code: 'unknown_type',
      message: 'unknown message type "nope"; expected one of ping, chat, cancel, resume, auth',
    });
  });
});

describe('parseClientMessage: id and ref', () => {
  it.each([['abc'], ['7'], [7], [0], [-1.5], ['x'.repeat(128)], ['😀'.repeat(128)]])(
    'accepts id %j and keeps it exactly',
    (id) => {
      expect(accepted({ type: 'ping', id })).toEqual({ type: 'ping', id });
    },
  );

  it.each([[''], ['x'.repeat(129)], ['😀'.repeat(129)], [null], [true], [{}], [[1]]])(
    'refuses id %j with no ref',
    (id) => {
      expect(refused(JSON.stringify({ type: 'ping', id }))).toEqual({
        code: 'invalid_message',
        message: ID_ERROR,
      });
    },
  );

  it('refuses an id that overflows to Infinity', () => {
    expect(refused('{"type":"ping","id":1e400}')).toEqual({
      code: 'invalid_message',
      message: ID_ERROR,
    });
  });

  it('echoes a string id as a string and a number id as a number', () => {
    expect(refused('{"type":"chat","id":"7"}').ref).toBe('7');
    expect(refused('{"type":"chat","id":7}').ref).toBe(7);
  });
});

describe('parseClientMessage: ping', () => {
  it('accepts a bare ping and drops unknown fields', () => {
    expect(accepted({ type: 'ping' })).toEqual({ type: 'ping' });
    expect(accepted({ type: 'ping', id: 1, extra: { a: 1 } })).toEqual({ type: 'ping', id: 1 });
  });
});

describe('parseClientMessage: chat', () => {
  it('accepts text with optional id, threadId and agent, dropping unknown fields', () => {
    expect(accepted({ type: 'chat', text: 'hi' })).toEqual({ type: 'chat', text: 'hi' });
    expect(
      accepted({ type: 'chat', id: 'c1', text: 'hi', threadId: 't_1', agent: 'assistant', x: 1 }),
    ).toEqual({ type: 'chat', id: 'c1', text: 'hi', threadId: 't_1', agent: 'assistant' });
  });

  it('accepts text of exactly 16384 characters, emoji counting once', () => {
    expect(accepted({ type: 'chat', text: 'a'.repeat(16384) })).toMatchObject({ type: 'chat' });
    expect(accepted({ type: 'chat', text: '😀'.repeat(16384) })).toMatchObject({ type: 'chat' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'a'.repeat(16385)],
    ['a number', 5],
    ['null', null],
  ])('refuses text that is %s, echoing the id', (_name, text) => {
    expect(refused(JSON.stringify({ type: 'chat', id: 'c1', text }))).toEqual({
      code: 'invalid_message',
      message: TEXT_ERROR,
      ref: 'c1',
    });
  });

  it.each([[''], ['t'.repeat(129)], [5], [null]])('refuses threadId %j', (threadId) => {
    expect(refused(JSON.stringify({ type: 'chat', text: 'hi', threadId }))).toEqual({
      code: 'invalid_message',
      message: 'chat.threadId must be a string of 1 to 128 characters',
    });
  });

  it.each([[''], ['a'.repeat(129)], [['assistant']]])('refuses agent %j', (agent) => {
    expect(refused(JSON.stringify({ type: 'chat', text: 'hi', agent }))).toEqual({
      code: 'invalid_message',
      message: 'chat.agent must be a string of 1 to 128 characters',
    });
  });

  it('reports every wrong field in one sentence', () => {
    expect(refused('{"type":"chat","id":"","text":"","agent":""}')).toEqual({
      code: 'invalid_message',
      message: `${ID_ERROR}; ${TEXT_ERROR}; chat.agent must be a string of 1 to 128 characters`,
    });
  });
});

describe('parseClientMessage: cancel', () => {
  it('accepts a runId', () => {
    expect(accepted({ type: 'cancel', id: 2, runId: 'r_1' })).toEqual({
      type: 'cancel',
      id: 2,
      runId: 'r_1',
    });
  });

  it.each([[undefined], [''], [5]])('refuses runId %j', (runId) => {
    expect(refused(JSON.stringify({ type: 'cancel', id: 2, runId }))).toEqual({
      code: 'invalid_message',
      message: 'cancel.runId must be a non-empty string',
      ref: 2,
    });
  });
});

describe('parseClientMessage: resume', () => {
  it.each([[0], [41], [Number.MAX_SAFE_INTEGER]])('accepts lastSeq %j', (lastSeq) => {
    expect(accepted({ type: 'resume', lastSeq, epoch: 'e_1' })).toEqual({
      type: 'resume',
      lastSeq,
      epoch: 'e_1',
    });
  });

  it.each([[-1], [1.5], ['41'], [undefined], [null], [2 ** 60]])(
    'refuses lastSeq %j',
    (lastSeq) => {
      expect(refused(JSON.stringify({ type: 'resume', id: 'r', lastSeq, epoch: 'e_1' }))).toEqual({
        code: 'invalid_message',
        message: 'resume.lastSeq must be an integer >= 0',
        ref: 'r',
      });
    },
  );

  it.each([[undefined], [''], [7]])('refuses epoch %j', (epoch) => {
    expect(refused(JSON.stringify({ type: 'resume', lastSeq: 3, epoch }))).toEqual({
      code: 'invalid_message',
      message: 'resume.epoch must be a non-empty string',
    });
  });
});

describe('parseClientMessage: auth', () => {
  it('accepts a token', () => {
    expect(accepted({ type: 'auth', token: 'a.b.c' })).toEqual({ type: 'auth', token: 'a.b.c' });
  });

  it.each([[undefined], [''], [{}]])('refuses token %j', (token) => {
    expect(refused(JSON.stringify({ type: 'auth', id: 'a1', token }))).toEqual({
      code: 'invalid_message',
      message: 'auth.token must be a non-empty string',
      ref: 'a1',
    });
  });
});

describe('validateClientMessage', () => {
  it('validates an already parsed object the same way', () => {
    expect(validateClientMessage({ type: 'cancel', runId: 'r_1' })).toEqual({
      ok: true,
      message: { type: 'cancel', runId: 'r_1' },
    });
    expect(validateClientMessage({ type: 'cancel', id: 'x' })).toEqual({
      ok: false,
      error: {
        code: 'invalid_message',
        message: 'cancel.runId must be a non-empty string',
        ref: 'x',
      },
    });
  });
});
