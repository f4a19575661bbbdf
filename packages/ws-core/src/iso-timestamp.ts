/** `000` … `999`. */
const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let cachedSecond = Number.NaN;
/** `2026-11-22T07:00:00.` of the cached second. */
let cachedPrefix = '';
let cachedMs = Number.NaN;
let cachedIso = '';

/**
 * `new Date(ms).toISOString()`, fast for the hot path: formatting a date costs about as much as
 * serializing an event, so the text of the current second is kept and only the milliseconds
 * are appended (and the last result is reused within the same millisecond).
 */
export function isoTimestamp(ms: number): string {
  if (ms === cachedMs) return cachedIso;
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond || !(ms >= 0)) {
    const iso = new Date(ms).toISOString();
    if (iso.length !== 24) return iso; // years outside 0000–9999: never cached
    cachedSecond = second;
    cachedPrefix = iso.slice(0, 20);
  }
  cachedMs = ms;
  cachedIso = cachedPrefix + MILLIS[ms - second * 1000]! + 'Z';
  return cachedIso;
}
