import { EventTooLargeError } from './errors';

/** A `ts` of the width every ISO-8601 UTC timestamp has. */
const SAMPLE_TS = '2026-11-22T07:00:00.000Z';

/**
 * Bytes of an event's JSON besides its type and payload, for a run/thread pair, counted with
 * the largest possible `seq` (as `eventByteLength` of ws-protocol does): an event measured
 * before it is numbered still fits once numbered.
 */
export function envelopeBytes(runId: string, threadId: string): number {
  const json = JSON.stringify({
    type: '',
    seq: Number.MAX_SAFE_INTEGER,
    runId,
    threadId,
    ts: SAMPLE_TS,
    payload: 0,
  });
  return Buffer.byteLength(json) - 1;
}

/**
 * UTF-8 bytes of an event's JSON given its envelope size, type and serialized payload. Cheap
 * when the string lengths alone prove the event small (a UTF-16 unit is at most 3 bytes).
 * Returns 0 when that quick bound is below `limit` (exact size not needed).
 */
export function eventBytesOver(
  envelope: number,
  type: string,
  payloadJson: string,
  limit: number,
): number {
  if ((payloadJson.length + type.length) * 3 + envelope <= limit) return 0;
  const bytes = Buffer.byteLength(payloadJson) + type.length + envelope;
  return bytes > limit ? bytes : 0;
}

/**
 * Checks an event's size and returns its payload JSON, which the engine then uses instead of
 * serializing the payload again. Text events (thinking, delta) — the bulk of a run — are
 * built here as `{"delta":<text>}`: concatenating around one `JSON.stringify` of the text
 * costs a fraction of stringifying the event object (measured 3–4×), and when the text is
 * short enough to fit whatever it contains, its size needs no counting.
 * @throws EventTooLargeError
 */
export function sizedPayloadJson(
  envelope: number,
  type: string,
  payload: unknown,
  limit: number,
): string {
  let json: string;
  if (type === 'agent_response_delta') {
    const text = (payload as { delta: string }).delta;
    json = '{"delta":' + JSON.stringify(text) + '}';
    // A UTF-16 unit takes at most 6 bytes in JSON (\u001f); `{"delta":""}` is 12.
    if (text.length * 6 + 12 + type.length + envelope <= limit) return json;
  } else if (type === 'agent_thinking') {
    const text = (payload as { text: string }).text;
    json = '{"text":' + JSON.stringify(text) + '}';
    if (text.length * 6 + 11 + type.length + envelope <= limit) return json;
  } else {
    json = JSON.stringify(payload);
  }
  const over = eventBytesOver(envelope, type, json, limit);
  if (over > 0) throw new EventTooLargeError(over, limit);
  return json;
}
