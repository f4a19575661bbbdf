import type { ChatEvent, UnsequencedEvent } from '@app/ws-protocol';

/**
 * An event's wire JSON cut around its `seq`: `head + seq + tail` equals
 * `JSON.stringify(event)` for the event with keys in wire order (type, seq, runId, threadId, ts,
 * payload). The append script only knows the `seq` once it holds the stream, so it joins the
 * two halves itself and the payload is serialized once, here.
 */
export interface EventJsonParts {
  readonly head: string;
  readonly tail: string;
}

/** Splits `event`'s JSON around its future `seq` (`payloadJson` saves a serialization). */
export function eventJsonParts(event: UnsequencedEvent, payloadJson?: string): EventJsonParts {
  return {
    head: `{"type":${JSON.stringify(event.type)},"seq":`,
    tail:
      `,"runId":${JSON.stringify(event.runId)},"threadId":${JSON.stringify(event.threadId)}` +
      `,"ts":${JSON.stringify(event.ts)},"payload":${payloadJson ?? JSON.stringify(event.payload)}}`,
  };
}

/** The sequenced event, keys in wire order (so `JSON.stringify` gives the wire text). */
export function sequenceEvent(event: UnsequencedEvent, seq: number): ChatEvent {
  return {
    type: event.type,
    seq,
    runId: event.runId,
    threadId: event.threadId,
    ts: event.ts,
    payload: event.payload,
  } as ChatEvent;
}
