import { describe, expect, it } from 'vitest';
import { isChatEvent, type ChatEvent } from './chat-event.js';

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
});
