let cachedMillis = Number.NaN;
let cachedIso = '';

/**
 * The current time as an ISO 8601 string. Formatting a Date costs more than the rest of a small
 * entry, and lines come in bursts, so the string is reused within the same millisecond.
 */
export function entryTimestamp(): string {
  const now = Date.now();
  if (now !== cachedMillis) {
    cachedMillis = now;
    cachedIso = new Date(now).toISOString();
  }
  return cachedIso;
}
