/**
 * `value`, or `fallback` when it is undefined.
 * @throws RangeError when `value` is not a finite number above 0.
 */
export function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/**
 * `value`, or `fallback` when it is undefined.
 * @throws RangeError when `value` is not an integer above 0.
 */
export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const n = positive(name, value, fallback);
  if (!Number.isInteger(n)) throw new RangeError(`${name} must be an integer, got ${n}`);
  return n;
}
