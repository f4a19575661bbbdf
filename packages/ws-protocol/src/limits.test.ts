import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.js';

describe('LIMITS', () => {
  it('matches the sizes of the protocol', () => {
    expect(LIMITS).toEqual({
      maxTextLength: 16384,
      maxIdLength: 128,
      maxEventBytes: 64 * 1024,
      maxInboundBytes: 64 * 1024,
    });
  });
});
