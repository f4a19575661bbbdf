import type { UnsequencedEvent } from '@app/ws-protocol';
import { encodeChatEvent } from '@app/ws-core';
import { describe, expect, it } from 'vitest';
import { eventJsonParts, sequenceEvent } from './event-json';

describe('event JSON parts', () => {
  const event: UnsequencedEvent = {
    type: 'tool_completed',
    runId: 'r_"quoted"',
    threadId: 't_ü\n',
    ts: '2026-11-22T07:00:00.000Z',
    payload: { toolCallId: 'tc_1', toolName: 'calc', ok: true, result: 2, durationMs: 3 },
  };

  it('join around the seq into exactly JSON.stringify of the sequenced event', () => {
    const { head, tail } = eventJsonParts(event);
    const sequenced = sequenceEvent(event, 42);
    expect(head + 42 + tail).toBe(JSON.stringify(sequenced));
    expect(head + 42 + tail).toBe(encodeChatEvent(sequenced));
  });

  it('use the payload JSON the caller already has', () => {
    const { tail } = eventJsonParts(event, '{"pre":"serialized"}');
    expect(tail.endsWith(',"payload":{"pre":"serialized"}}')).toBe(true);
  });
});
