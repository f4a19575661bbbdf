import { describe, expectTypeOf, it } from 'vitest';
import { isChatEvent, type ChatEvent, type UnsequencedEvent } from './chat-event.js';
import type { ControlFrame } from './control-frames.js';
import type { ToolCompletedPayload } from './event-payloads.js';
import type { ServerFrame } from './server-frame.js';

describe('isChatEvent', () => {
  it('narrows a ServerFrame to an event or a control frame', () => {
    const frame = {} as ServerFrame;
    if (isChatEvent(frame)) {
      expectTypeOf(frame).toEqualTypeOf<ChatEvent>();
    } else {
      expectTypeOf(frame).toEqualTypeOf<ControlFrame>();
    }
  });
});

describe('ChatEvent', () => {
  it('is discriminated on type', () => {
    const event = {} as ChatEvent;
    if (event.type === 'tool_completed') {
      expectTypeOf(event.payload).toEqualTypeOf<ToolCompletedPayload>();
    }
    expectTypeOf<ChatEvent<'agent_thinking'>['payload']>().toEqualTypeOf<{ text: string }>();
  });

  it('has no seq before it is sequenced', () => {
    expectTypeOf<UnsequencedEvent>().not.toHaveProperty('seq');
    expectTypeOf<ChatEvent>().toHaveProperty('seq').toEqualTypeOf<number>();
  });
});
