import { describe, expect, expectTypeOf, it } from 'vitest';
import { isChatEvent, type ChatEvent, type UnsequencedEvent } from './chat-event.js';
import type { ServerFrame } from './server-frame.js';
import type { ControlFrame } from './control-frames.js';
import type { ToolCompletedPayload } from './event-payloads.js';

const toolCompleted: ChatEvent = {
  type: 'tool_completed',
  seq: 5,
  runId: 'r_1',
  threadId: 't_1',
  ts: '2026-11-22T07:00:00.000Z',
  payload: { toolCallId: 'tc_1', toolName: 'calculator', ok: true, result: 84, durationMs: 3 },
};

describe('isChatEvent', () => {
  it('accepts a sequenced stream event', () => {
    expect(isChatEvent(toolCompleted)).toBe(true);
  });

  it('refuses control frames, unsequenced events and junk', () => {
    const { seq: _seq, ...unsequenced } = toolCompleted;
    const frames: unknown[] = [
      { type: 'welcome', seq: 41 },
      { type: 'pong' },
      { type: 'resumed', complete: true },
      unsequenced,
      { type: 'tool_completed', seq: '5' },
      null,
      'agent_started',
      [],
    ];
    for (const frame of frames) expect(isChatEvent(frame)).toBe(false);
  });

  it('narrows a ServerFrame to an event or a control frame', () => {
    const frame = toolCompleted as ServerFrame;
    if (isChatEvent(frame)) {
      expectTypeOf(frame).toEqualTypeOf<ChatEvent>();
    } else {
      expectTypeOf(frame).toEqualTypeOf<ControlFrame>();
    }
  });
});

describe('ChatEvent', () => {
  it('is discriminated on type', () => {
    const event = toolCompleted;
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
