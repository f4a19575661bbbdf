import { describe, expect, it } from 'vitest';
import { parseLegacyClientMessage } from './parse-legacy-client-message.js';

describe('parseLegacyClientMessage', () => {
  it.each(['user_message', 'start_agent', 'chat'])('maps %s with content to a chat', (type) => {
    expect(parseLegacyClientMessage(JSON.stringify({ type, content: 'hello' }))).toEqual({
      ok: true,
      message: { type: 'chat', text: 'hello' },
    });
  });

  it('takes the text from message when there is no content', () => {
    expect(parseLegacyClientMessage('{"type":"user_message","message":"hi"}')).toEqual({
      ok: true,
      message: { type: 'chat', text: 'hi' },
    });
  });

  it('prefers content over message', () => {
    const result = parseLegacyClientMessage('{"type":"chat","content":"a","message":"b"}');
    expect(result).toMatchObject({ ok: true, message: { text: 'a' } });
  });

  it('maps thread_id or threadId, agent or agent_name, and id', () => {
    expect(
      parseLegacyClientMessage(
        '{"type":"start_agent","content":"x","thread_id":"t_1","agent_name":"assistant","id":"m1"}',
      ),
    ).toEqual({
      ok: true,
      message: { type: 'chat', id: 'm1', text: 'x', threadId: 't_1', agent: 'assistant' },
    });
    expect(parseLegacyClientMessage('{"type":"chat","content":"x","threadId":"t_2"}')).toEqual({
      ok: true,
      message: { type: 'chat', text: 'x', threadId: 't_2' },
    });
  });

  it('treats null optional fields as absent', () => {
    expect(
      parseLegacyClientMessage('{"type":"chat","content":"x","thread_id":null,"id":null}'),
    ).toEqual({ ok: true, message: { type: 'chat', text: 'x' } });
  });

  it('maps ping', () => {
    expect(parseLegacyClientMessage('{"type":"ping"}')).toEqual({
      ok: true,
      message: { type: 'ping' },
    });
    expect(parseLegacyClientMessage('{"type":"ping","id":9}')).toEqual({
      ok: true,
      message: { type: 'ping', id: 9 },
    });
  });

  it('refuses missing or empty text as invalid_message, echoing the id', () => {
    for (const data of [
      '{"type":"user_message","id":"m"}',
      '{"type":"user_message","id":"m","content":""}',
    ]) {
      expect(parseLegacyClientMessage(data)).toEqual({
        ok: false,
        error: {
          code: 'invalid_message',
          message: 'chat.text must be 1 to 16384 characters',
          ref: 'm',
        },
      });
    }
  });

  it.each(['resume', 'cancel', 'auth', 'get_history'])(
    'refuses type %s as unknown_type',
    (type) => {
      const result = parseLegacyClientMessage(JSON.stringify({ type, id: 'q' }));
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_type', ref: 'q' } });
    },
  );

  it('refuses a missing type as invalid_message', () => {
    expect(parseLegacyClientMessage('{"content":"hi"}')).toEqual({
      ok: false,
      error: {
        code: 'invalid_message',
        message: 'type must be one of user_message, start_agent, chat, ping',
      },
    });
  });

  it.each(['nope', '[]', '5'])('refuses %j as invalid_json', (data) => {
    expect(parseLegacyClientMessage(data)).toEqual({
      ok: false,
      error: { code: 'invalid_json', message: 'frame must be a JSON object' },
    });
  });
});
