import type { UnsequencedEvent } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import {
  encodeChatEvent,
  encodeChatEventParts,
  encodeEventIds,
  sequenceChatEvent,
} from './event-encoder';

describe('the event encoder', () => {
  const event: UnsequencedEvent = {
    type: 'tool_completed',
    runId: 'r_"quoted"',
    threadId: 't_ü\n',
    ts: '2026-11-22T07:00:00.000Z',
    payload: { toolCallId: 'tc_1', toolName: 'calc', ok: true, result: 2, durationMs: 3 },
  };

  it('gives exactly JSON.stringify of the sequenced event, with or without the parts given', () => {
    const sequenced = sequenceChatEvent(event, 42);
    const json = JSON.stringify(sequenced);
    expect(encodeChatEvent(sequenced)).toBe(json);
    expect(encodeChatEvent(sequenced, JSON.stringify(event.payload))).toBe(json);
    expect(encodeChatEvent(sequenced, undefined, encodeEventIds(event.runId, event.threadId))).toBe(
      json,
    );
  });

  it('cuts the same text around the seq, for engines that assign it remotely', () => {
    const { head, tail } = encodeChatEventParts(event);
    expect(head + 42 + tail).toBe(encodeChatEvent(sequenceChatEvent(event, 42)));
    const given = encodeChatEventParts(event, '{"pre":"serialized"}');
    expect(given.tail.endsWith(',"payload":{"pre":"serialized"}}')).toBe(true);
  });

  it('escapes every string field, whoever made the event', () => {
    const odd = { ...event, ts: 'not "iso"' } as UnsequencedEvent;
    const { head, tail } = encodeChatEventParts(odd);
    expect(JSON.parse(head + 7 + tail)).toEqual(sequenceChatEvent(odd, 7));
  });
});
