/**
 * A fixed log-scale latency histogram (about 2 % resolution from 1 µs to 10 s) that load
 * processes fill and the orchestrator merges: percentiles without shipping every sample.
 */
const PER_OCTAVE = 32;
const SIZE = 26 * PER_OCTAVE; // 2^26 µs ≈ 67 s

/** @returns {{counts: number[], count: number, negative: number, max: number}} */
export function createHistogram() {
  return { counts: new Array(SIZE).fill(0), count: 0, negative: 0, max: 0 };
}

/** Adds one latency in milliseconds. */
export function record(histogram, ms) {
  if (ms < 0) histogram.negative++;
  const us = ms * 1000;
  const index = us <= 1 ? 0 : Math.min(SIZE - 1, Math.floor(Math.log2(us) * PER_OCTAVE));
  histogram.counts[index]++;
  histogram.count++;
  if (ms > histogram.max) histogram.max = ms;
}

/** Adds `other` into `into`. */
export function merge(into, other) {
  for (let i = 0; i < SIZE; i++) into.counts[i] += other.counts[i];
  into.count += other.count;
  into.negative += other.negative;
  if (other.max > into.max) into.max = other.max;
  return into;
}

/** The `p`-th percentile (0–100) in milliseconds, or undefined when empty. */
export function percentile(histogram, p) {
  if (histogram.count === 0) return undefined;
  const rank = Math.ceil((p / 100) * histogram.count);
  let seen = 0;
  for (let i = 0; i < SIZE; i++) {
    seen += histogram.counts[i];
    if (seen >= rank) return Math.min(histogram.max, 2 ** ((i + 0.5) / PER_OCTAVE) / 1000);
  }
  return histogram.max;
}

/** A compact form for IPC: only the non-zero buckets. */
export function pack(histogram) {
  const buckets = [];
  for (let i = 0; i < SIZE; i++)
    if (histogram.counts[i] > 0) buckets.push([i, histogram.counts[i]]);
  return { buckets, count: histogram.count, negative: histogram.negative, max: histogram.max };
}

/** The inverse of {@link pack}. */
export function unpack(packed) {
  const histogram = createHistogram();
  for (const [i, n] of packed.buckets) histogram.counts[i] = n;
  histogram.count = packed.count;
  histogram.negative = packed.negative;
  histogram.max = packed.max;
  return histogram;
}
