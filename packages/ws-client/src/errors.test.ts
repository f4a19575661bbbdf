import { AppError, ERROR_CODES, isAppError } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { ChatClientError, codes } from './errors.js';

describe('ChatClientError', () => {
  it('carries a code and the details', () => {
    const cause = new Error('boom');
    const error = new ChatClientError('rate_limited', 'slow down', {
      ref: 'm1',
      retryAfterMs: 500,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ChatClientError',
      code: 'rate_limited',
      ref: 'm1',
      retryAfterMs: 500,
    });
    expect(error.cause).toBe(cause);
  });

  it('is an AppError that isAppError recognises, optionally by code', () => {
    const error = new ChatClientError(codes.client_closed, 'x');
    expect(error).toBeInstanceOf(AppError);
    expect(isAppError(error, codes.client_closed)).toBe(true);
    expect(isAppError(error, codes.request_timeout)).toBe(false);
    const lookAlike = Object.assign(new Error('x'), { name: 'ChatClientError', code: 'not_found' });
    expect(lookAlike).not.toBeInstanceOf(ChatClientError);
    expect(isAppError(lookAlike)).toBe(false);
  });

  it('lists client codes, each its own key, that no wire code reuses', () => {
    const values = Object.values(codes);
    for (const [key, value] of Object.entries(codes)) expect(value).toBe(key);
    expect(values.filter((code) => (ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
  });
});
