import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  authMessageSchema,
  cancelMessageSchema,
  chatMessageSchema,
  clientMessageSchema,
  messageIdSchema,
  pingMessageSchema,
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
});
