import { type ChatEvent, EVENT_TYPES, type UnsequencedEvent } from '@app/ws-protocol';

/**
 * An event's wire JSON cut around its `seq`: `head + seq + tail` is {@link encodeChatEvent} of
 * the sequenced event. For an engine that learns the `seq` only where the stream is (the Redis
 * append script joins the halves), so the event is still serialized once, by this encoder.
 */
export interface ChatEventJsonParts {
  /** `{"type":…,"seq":` */
  readonly head: string;
  /** `,"runId":…,"threadId":…,"ts":…,"payload":…}` */
  readonly tail: string;
}

/** The `,"runId":…,"threadId":…` part of an event's JSON (reusable across a run's events). */
export function encodeEventIds(runId: string, threadId: string): string {
  return ',"runId":' + JSON.stringify(runId) + ',"threadId":' + JSON.stringify(threadId);
}

/** The head of each protocol event type, made once (a `JSON.stringify` per event shows). */
const HEADS: ReadonlyMap<string, string> = new Map(
  EVENT_TYPES.map((type) => [type, '{"type":' + JSON.stringify(type) + ',"seq":']),
);

function encodeHead(type: string): string {
  return HEADS.get(type) ?? '{"type":' + JSON.stringify(type) + ',"seq":';
}

/** The `,"ts":…,"payload":` part of an event's JSON. */
function encodeTsPart(ts: string): string {
  return ',"ts":' + JSON.stringify(ts) + ',"payload":';
}

function encodeTail(
  event: UnsequencedEvent | ChatEvent,
  payloadJson: string | undefined,
  ids: string | undefined,
  tsPart: string,
): string {
  return (
    (ids ?? encodeEventIds(event.runId, event.threadId)) +
    tsPart +
    (payloadJson ?? JSON.stringify(event.payload)) +
    '}'
  );
}

/**
 * The encoder an engine owns for its hot path. It keeps the last `ts` it encoded: consecutive
 * events, of all the engine's users, share a timestamp, and one piece fewer to join is one
 * string fewer per event. Its texts are exactly {@link encodeChatEvent}'s.
 */
export class EventEncoder {
  #lastTs = '';
  #lastTsPart = encodeTsPart('');

  /**
   * {@link encodeChatEvent} of `event` with `seq`, without building the sequenced event object.
   * `payloadJson` and `ids` (from {@link encodeEventIds}) save serializing them again.
   */
  sequenced(
    event: UnsequencedEvent | ChatEvent,
    seq: number,
    payloadJson: string | undefined,
    ids: string | undefined,
  ): string {
    return (
      encodeHead(event.type) + seq + encodeTail(event, payloadJson, ids, this.#tsPart(event.ts))
    );
  }

  /** {@link encodeChatEventParts}: the halves around a `seq` not known yet. */
  parts(event: UnsequencedEvent, payloadJson?: string): ChatEventJsonParts {
    return {
      head: encodeHead(event.type),
      tail: encodeTail(event, payloadJson, undefined, this.#tsPart(event.ts)),
    };
  }

  #tsPart(ts: string): string {
    if (ts !== this.#lastTs) {
      this.#lastTsPart = encodeTsPart(ts);
      this.#lastTs = ts;
    }
    return this.#lastTsPart;
  }
}

/**
 * The protocol v1 text of an event: the JSON of its fields in wire order (type, seq, runId,
 * threadId, ts, payload), exactly what `JSON.stringify` of {@link sequenceChatEvent}'s result
 * gives. `payloadJson`, when the caller already serialized the payload (the emitter does, to
 * check the size), and `ids` (from {@link encodeEventIds}) save serializing them again.
 */
export function encodeChatEvent(event: ChatEvent, payloadJson?: string, ids?: string): string {
  return (
    encodeHead(event.type) + event.seq + encodeTail(event, payloadJson, ids, encodeTsPart(event.ts))
  );
}

/**
 * {@link encodeChatEvent} of `event` before its `seq` is known, as the two halves around it.
 * `payloadJson` saves serializing the payload again.
 */
export function encodeChatEventParts(
  event: UnsequencedEvent,
  payloadJson?: string,
): ChatEventJsonParts {
  return {
    head: encodeHead(event.type),
    tail: encodeTail(event, payloadJson, undefined, encodeTsPart(event.ts)),
  };
}

/** The event with its `seq`, keys in wire order (so `JSON.stringify` gives the wire text). */
export function sequenceChatEvent(event: UnsequencedEvent, seq: number): ChatEvent {
  return {
    type: event.type,
    seq,
    runId: event.runId,
    threadId: event.threadId,
    ts: event.ts,
    payload: event.payload,
  } as ChatEvent;
}
