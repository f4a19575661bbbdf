import type { ChatEvent, UnsequencedEvent } from './chat-event.js';
import { utf8ByteLength } from './utf8-byte-length.js';

/** `,"seq":` plus the digits of the largest safe integer: the most a `seq` adds to an event's JSON. */
const SEQ_FIELD_RESERVE = ',"seq":'.length + String(Number.MAX_SAFE_INTEGER).length;

/**
 * The UTF-8 size of an event's JSON, to check against `LIMITS.maxEventBytes`. An
 * {@link UnsequencedEvent} is measured with room for the largest `seq`, so an event that passes
 * before it is appended still passes once numbered.
 */
export function eventByteLength(event: ChatEvent | UnsequencedEvent): number {
  const bytes = utf8ByteLength(JSON.stringify(event));
  return 'seq' in event ? bytes : bytes + SEQ_FIELD_RESERVE;
}
