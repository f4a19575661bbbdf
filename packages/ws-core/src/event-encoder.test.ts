import type { UnsequencedEvent } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import {
  encodeChatEvent,
  encodeChatEventParts,
  encodeEventIds,
  EventEncoder,
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

  it("an engine's encoder gives the same texts; its timestamp cache is its own", () => {
    const a = new EventEncoder();
    const b = new EventEncoder();
    const later = { ...event, ts: '2026-11-22T07:00:01.000Z' } as UnsequencedEvent;
    // Interleaved timestamps across two encoders: neither may reuse the other's last `ts`.
    for (const [encoder, e, seq] of [
      [a, event, 1],
      [b, later, 2],
      [a, event, 3],
      [b, event, 4],
      [a, later, 5],
    ] as const) {
      const json = JSON.stringify(sequenceChatEvent(e, seq));
      expect(encoder.sequenced(e, seq, undefined, undefined)).toBe(json);
      const { head, tail } = encoder.parts(e);
      expect(head + seq + tail).toBe(json);
    }
  });
});
