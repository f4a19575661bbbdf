import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  type authMessageSchema,
  type cancelMessageSchema,
  type chatMessageSchema,
  clientMessageSchema,
  type messageIdSchema,
  type pingMessageSchema,
  resumeMessageSchema,
} from './client-message-schemas.js';
import type {
  AuthMessage,
  CancelMessage,
  ChatMessage,
  ClientMessage,
  MessageId,
  PingMessage,
  ResumeMessage,
} from './client-messages.js';
import { CLIENT_MESSAGE_TYPES } from './client-messages.js';

describe('client message schemas', () => {
  it('produce exactly the declared message types', () => {
    expectTypeOf<z.output<typeof messageIdSchema>>().toEqualTypeOf<MessageId>();
    expectTypeOf<z.output<typeof pingMessageSchema>>().toEqualTypeOf<PingMessage>();
    expectTypeOf<z.output<typeof chatMessageSchema>>().toEqualTypeOf<ChatMessage>();
    expectTypeOf<z.output<typeof cancelMessageSchema>>().toEqualTypeOf<CancelMessage>();
    expectTypeOf<z.output<typeof resumeMessageSchema>>().toEqualTypeOf<ResumeMessage>();
    expectTypeOf<z.output<typeof authMessageSchema>>().toEqualTypeOf<AuthMessage>();
    expectTypeOf<z.output<typeof clientMessageSchema>>().toEqualTypeOf<ClientMessage>();
  });

  it('list the five client message types of docs/protocol.md#5-client-messages', () => {
    expect(CLIENT_MESSAGE_TYPES).toEqual(['ping', 'chat', 'cancel', 'resume', 'auth']);
  });

  it('accept one valid message of each type through the union', () => {
    const messages: ClientMessage[] = [
      { type: 'ping', id: 1 },
      { type: 'chat', text: 'hi', threadId: 't', agent: 'assistant' },
      { type: 'cancel', runId: 'r' },
      { type: 'resume', lastSeq: 0, epoch: 'e' },
      { type: 'auth', token: 't' },
    ];
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
