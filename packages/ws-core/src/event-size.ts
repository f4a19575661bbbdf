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
