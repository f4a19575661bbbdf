import type { EventPayloads } from './event-payloads.js';
import { isEventType, type EventType } from './event-types.js';

/** The fields every stream event carries, `seq` aside. */
interface EventEnvelope<K extends EventType> {
  type: K;
  /** The run the event belongs to (`user_message` carries the run it started). */
  runId: string;
  threadId: string;
  /** ISO-8601 UTC time the event was emitted (`2026-11-22T07:00:00.000Z`). */
  ts: string;
  payload: EventPayloads[K];
}

/** An event as numbered by the user's stream. */
interface SequencedEnvelope<K extends EventType> extends EventEnvelope<K> {
  /** Position in the user's stream: starts at 1, grows by exactly 1 per event within an epoch. */
  seq: number;
}

/**
 * An event before the user's stream numbers it: what an emitter produces and an engine appends.
 * A discriminated union on `type` when `T` is the full union.
 */
export type UnsequencedEvent<T extends EventType = EventType> = {
  [K in T]: EventEnvelope<K>;
}[T];

/**
 * An event of a user's ordered stream (docs/protocol.md#3-events). A discriminated union on `type` when `T` is
 * the full union, so `if (e.type === 'tool_completed') e.payload.toolCallId` type-checks.
 */
export type ChatEvent<T extends EventType = EventType> = {
  [K in T]: SequencedEnvelope<K>;
}[T];

/**
 * Whether `frame` is a stream event (an event `type` and a numeric `seq`) rather than a control
 * frame. Accepts anything, so a client can call it on a freshly parsed frame.
 */
export function isChatEvent(frame: unknown): frame is ChatEvent {
  if (typeof frame !== 'object' || frame === null) return false;
  const candidate = frame as { type?: unknown; seq?: unknown };
  return isEventType(candidate.type) && typeof candidate.seq === 'number';
}
