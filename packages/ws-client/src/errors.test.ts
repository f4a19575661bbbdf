import { ERROR_CODES } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { ChatClientError, CLIENT_ERROR_CODES, isChatClientError } from './errors.js';

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

  it('is recognised by instanceof or by name and code (a second copy of the class)', () => {
    expect(isChatClientError(new ChatClientError('client_closed', 'x'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'ChatClientError', code: 'not_found' });
    expect(isChatClientError(foreign)).toBe(true);
    expect(isChatClientError(new Error('x'))).toBe(false);
    expect(isChatClientError({ name: 'ChatClientError', code: 'x' })).toBe(false);
  });

  it('lists client codes that no wire code reuses', () => {
    expect(new Set(CLIENT_ERROR_CODES).size).toBe(CLIENT_ERROR_CODES.length);
    expect(
      CLIENT_ERROR_CODES.filter((code) => (ERROR_CODES as readonly string[]).includes(code)),
    ).toEqual([]);
  });
});
