import { describe, expect, it } from 'vitest';
import type { ChatEvent } from './chat-event.js';
import { eventByteLength } from './event-byte-length.js';

const event: ChatEvent<'agent_thinking'> = {
  type: 'agent_thinking',
  seq: 42,
  runId: 'r_1',
  threadId: 't_1',
  ts: '2026-11-22T07:00:00.000Z',
  payload: { text: 'thinking about 😀 and é' },
};

describe('eventByteLength', () => {
  it('is the UTF-8 size of the event JSON', () => {
    expect(eventByteLength(event)).toBe(new TextEncoder().encode(JSON.stringify(event)).length);
  });

  it('leaves room for the largest seq in an unsequenced event', () => {
    const { seq: _seq, ...unsequenced } = event;
    const sequenced = { ...unsequenced, seq: Number.MAX_SAFE_INTEGER };
    const largest = new TextEncoder().encode(JSON.stringify(sequenced)).length;
    expect(eventByteLength(unsequenced)).toBe(largest);
  });
});
