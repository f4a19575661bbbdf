import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from './error-codes.js';

describe('ERROR_CODES', () => {
  it('lists the ten wire error codes of docs/protocol.md#error-codes', () => {
    expect(ERROR_CODES).toEqual([
      'invalid_json',
      'invalid_message',
      'unknown_type',
      'rate_limited',
      'unknown_agent',
      'too_many_runs',
      'not_found',
      'token_expired',
      'unavailable',
      'internal',
    ]);
  });

  it('recognises its codes only', () => {
    expect(isErrorCode('not_found')).toBe(true);
    expect(isErrorCode('WS_UNKNOWN_AGENT')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});
