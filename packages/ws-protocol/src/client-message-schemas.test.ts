import { describe, expect, it } from 'vitest';
import { clientMessageSchema, resumeMessageSchema } from './client-message-schemas.js';
import { CLIENT_MESSAGE_TYPES, type ClientMessage } from './client-messages.js';

describe('client message schemas', () => {
  it('accept one valid message of each type through the union', () => {
    const messages: ClientMessage[] = [
      { type: 'ping', id: 1 },
      { type: 'chat', text: 'hi', threadId: 't', agent: 'assistant' },
      { type: 'cancel', runId: 'r' },
      { type: 'resume', lastSeq: 0, epoch: 'e' },
      { type: 'auth', token: 't' },
    ];
    // One of each of the five client message types of docs/protocol.md#5-client-messages.
    expect(messages.map((message) => message.type)).toEqual([...CLIENT_MESSAGE_TYPES]);
    expect(CLIENT_MESSAGE_TYPES).toEqual(['ping', 'chat', 'cancel', 'resume', 'auth']);
    for (const message of messages) {
      expect(clientMessageSchema.parse({ ...message, unknownField: true })).toEqual(message);
    }
  });

  it('refuses an unknown type through the union', () => {
    const result = clientMessageSchema.safeParse({ type: 'nope' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'type must be one of ping, chat, cancel, resume, auth',
    );
  });

  it('refuse a wrong field with a sentence naming it', () => {
    const result = resumeMessageSchema.safeParse({ type: 'resume', lastSeq: -1, epoch: 'e' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'resume.lastSeq must be an integer >= 0',
    ]);
  });
});
