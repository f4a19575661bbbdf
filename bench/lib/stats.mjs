/** Median and spread of repeated measurements. */

/** @param {number[]} values */
function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Summarises repetitions of one metric.
 * @param {number[]} values one per repetition
 * @returns {{median: number|undefined, min: number|undefined, max: number|undefined, runs: number[]}}
 */
export function summarize(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : undefined,
    max: finite.length ? Math.max(...finite) : undefined,
    runs: values,
  };
}
