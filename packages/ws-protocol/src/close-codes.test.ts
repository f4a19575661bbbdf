import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from './close-codes.js';

describe('CLOSE_CODES', () => {
  it('names every close code of docs/protocol.md#close-codes, each code once', () => {
    expect(CLOSE_CODES).toEqual({
      NORMAL: 1000,
      GOING_AWAY: 1001,
      UNSUPPORTED_DATA: 1007,
      POLICY_VIOLATION: 1008,
      MESSAGE_TOO_BIG: 1009,
      INTERNAL_ERROR: 1011,
      TRY_AGAIN_LATER: 1013,
      SLOW_CONSUMER: 4000,
      AUTH_EXPIRED: 4401,
      HEARTBEAT_TIMEOUT: 4408,
      RATE_LIMITED: 4429,
    });
    const codes = Object.values(CLOSE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
