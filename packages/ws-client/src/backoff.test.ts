import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBackoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('computeBackoffDelay', () => {
  it('defaults to base 250 ms and cap 30 s', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 250, capMs: 30_000 });
    expect(computeBackoffDelay(0, { random: () => 0.5 })).toBe(125);
    expect(computeBackoffDelay(30, { random: () => 0.5 })).toBe(15_000);
  });

  it('doubles the ceiling per attempt: random() * min(cap, base * 2^attempt)', () => {
    const nearlyOne = () => 0.999_999;
    expect(
      [0, 1, 2, 3, 4].map((attempt) => computeBackoffDelay(attempt, { random: nearlyOne })),
    ).toEqual([249, 499, 999, 1999, 3999]);
  });

  it('stops growing at the cap', () => {
    const options = { baseMs: 100, capMs: 1000, random: () => 0.999_999 };
    expect(computeBackoffDelay(3, options)).toBe(799);
    expect(computeBackoffDelay(4, options)).toBe(999);
    expect(computeBackoffDelay(10, options)).toBe(999);
    expect(computeBackoffDelay(5000, options)).toBe(999);
  });

  it('is full jitter: the injected random scales the whole window, down to 0', () => {
    expect(computeBackoffDelay(3, { random: () => 0 })).toBe(0);
    expect(computeBackoffDelay(3, { random: () => 0.25 })).toBe(500);
    expect(computeBackoffDelay(3, { random: () => 0.75 })).toBe(1500);
  });

  it('treats a negative attempt as the first', () => {
    expect(computeBackoffDelay(-3, { random: () => 0.5 })).toBe(125);
  });

  it('stays within [0, min(cap, base * 2^attempt)) for any attempt and random', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const delay = computeBackoffDelay(attempt, { random: () => r });
          const ceiling = Math.min(30_000, 250 * 2 ** attempt);
          return Number.isInteger(delay) && delay >= 0 && delay < ceiling;
        },
      ),
    );
  });

  it('uses Math.random by default', () => {
    for (let i = 0; i < 50; i++) {
      const delay = computeBackoffDelay(2);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(1000);
    }
  });
});
