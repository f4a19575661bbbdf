import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isInt8Position } from './cursor.js';
import { isAppError } from '@app/ws-protocol';
import { codes } from '../error-codes.js';

function refusal(kind: 'threads' | 'messages', cursor: string): unknown {
  try {
    decodeCursor(kind, cursor);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('paging cursors', () => {
  it('round-trips a key, opaque and URL-safe', () => {
    const key = { at: '2030-01-02T03:04:05.678Z', id: 't_abc:1~x' };
    const cursor = encodeCursor('threads', key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('t_abc');
    expect(decodeCursor('threads', cursor)).toEqual(key);
  });

  it('refuses a cursor of the other listing', () => {
    const cursor = encodeCursor('messages', { at: '2030-01-02T03:04:05.678Z', id: '12' });
    expect(decodeCursor('messages', cursor).id).toBe('12');
    const error = refusal('threads', cursor);
    expect(isAppError(error, codes.HISTORY_INVALID_CURSOR)).toBe(true);
    expect((error as Error).message).toContain('threads');
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad time', Buffer.from('["t1","yesterday","x"]').toString('base64url')],
    [
      'a non-canonical time',
      Buffer.from('["t1","2030-01-02T03:04:05Z","x"]').toString('base64url'),
    ],
    ['an empty id', Buffer.from('["t1","2030-01-02T03:04:05.678Z",""]').toString('base64url')],
    ['a numeric id', Buffer.from('["t1","2030-01-02T03:04:05.678Z",5]').toString('base64url')],
    ['too long', 'a'.repeat(513)],
  ])('refuses %s', (_what, cursor) => {
    expect(isAppError(refusal('threads', cursor), codes.HISTORY_INVALID_CURSOR)).toBe(true);
  });

  it.each([
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
  ])('refuses a time outside years 0001 to 9999 (%s)', (at) => {
    const cursor = Buffer.from(JSON.stringify(['t1', at, 't_x'])).toString('base64url');
    expect(isAppError(refusal('threads', cursor), codes.HISTORY_INVALID_CURSOR)).toBe(true);
  });

  it('tells int8 positions from larger numbers', () => {
    expect(isInt8Position('0')).toBe(true);
    expect(isInt8Position('9223372036854775807')).toBe(true);
    expect(isInt8Position('9223372036854775808')).toBe(false);
    expect(isInt8Position('9999999999999999999')).toBe(false);
    expect(isInt8Position('-1')).toBe(false);
    expect(isInt8Position('1e3')).toBe(false);
  });
});
