import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp';

describe('isoTimestamp', () => {
  it('equals Date#toISOString for any time, in any order of calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 253_402_300_799_999 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 5000 }),
        (times, step) => {
          for (const t of times) {
            for (const ms of [t, t + 1, t + step]) {
              expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
            }
          }
        },
      ),
    );
    expect(isoTimestamp(-1)).toBe(new Date(-1).toISOString());
    expect(isoTimestamp(999)).toBe('1970-01-01T00:00:00.999Z');
  });
});
