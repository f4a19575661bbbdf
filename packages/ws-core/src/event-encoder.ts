import type { ChatEvent } from '@app/ws-protocol';

/** The `,"runId":…,"threadId":…` part of an event's JSON (reusable across a run's events). */
export function encodeEventIds(runId: string, threadId: string): string {
  return ',"runId":' + JSON.stringify(runId) + ',"threadId":' + JSON.stringify(threadId);
}

/**
 * The protocol v1 text of an event: the JSON of its fields in wire order (type, seq, runId,
 * threadId, ts, payload), as `JSON.stringify` of such an event gives. `payloadJson`, when the
 * caller already serialized the payload (the emitter does, to check the size), and `ids`
 * (from {@link encodeEventIds}) save serializing them again.
 */
export function encodeChatEvent(event: ChatEvent, payloadJson?: string, ids?: string): string {
  return (
    '{"type":"' +
    event.type +
    '","seq":' +
    event.seq +
    (ids ?? encodeEventIds(event.runId, event.threadId)) +
    ',"ts":"' +
    event.ts +
    '","payload":' +
    (payloadJson ?? JSON.stringify(event.payload)) +
    '}'
  );
}
