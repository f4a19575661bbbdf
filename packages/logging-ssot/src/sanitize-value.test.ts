import { describe, expect, it } from 'vitest';
import {
  MAX_ARRAY_ITEMS,
  MAX_DEPTH,
  MAX_OBJECT_KEYS,
  sanitizeField,
  sanitizeValue,
  serializeError,
} from './sanitize-value';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

describe('sanitizeValue', () => {
  it('redacts credential keys at any depth and inside arrays', () => {
    const input = {
      user: {
        id: 'u1',
        auth: { accessToken: 'at', refresh_token: 'rt', nested: [{ password: 'p' }] },
      },
      headers: { Authorization: 'Basic abc', 'x-api-key': 'k', 'set-cookie': ['a=1', 'b=2'] },
      list: [{ apiKey: 'k1' }, [{ secret: 's' }]],
    };
    expect(sanitizeValue(input)).toEqual({
      user: {
        id: 'u1',
        auth: {
          accessToken: '[REDACTED]',
          refresh_token: '[REDACTED]',
          nested: [{ password: '[REDACTED]' }],
        },
      },
      headers: {
        Authorization: '[REDACTED]',
        'x-api-key': '[REDACTED]',
        'set-cookie': '[REDACTED]',
      },
      list: [{ apiKey: '[REDACTED]' }, [{ secret: '[REDACTED]' }]],
    });
  });

  it('redacts JWTs in nested string values and array items', () => {
    const result = JSON.stringify(sanitizeValue({ a: { b: [`see ${JWT}`] }, c: [JWT] }));
    expect(result).not.toContain('eyJ');
  });

  it('does not mutate its input', () => {
    const input = { token: 't', nested: { password: 'p' } };
    sanitizeValue(input);
    expect(input).toEqual({ token: 't', nested: { password: 'p' } });
  });

  it('keeps null and undefined under credential keys (they reveal nothing)', () => {
    expect(sanitizeField('token', null)).toBeNull();
    expect(sanitizeField('token', undefined)).toBeUndefined();
    expect(sanitizeField('token', 0)).toBe('[REDACTED]');
    expect(sanitizeField('token', { a: 1 })).toBe('[REDACTED]');
  });

  it('marks cycles but not shared references', () => {
    const shared = { v: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(sanitizeValue(cyclic)).toEqual({
      shared: { v: 1 },
      again: { v: 1 },
      self: '[Circular]',
    });
  });

  it('turns values JSON cannot hold into strings', () => {
    const result = sanitizeValue({
      big: 12345678901234567890n,
      sym: Symbol('tag'),
      fn: function named() {},
      anon: Object.assign(() => 1, { displayName: 'x' }),
      date: new Date(0),
      bad: new Date(Number.NaN),
      bytes: Buffer.from('abc'),
      map: new Map<unknown, unknown>([
        ['token', 't'],
        [1, 'one'],
      ]),
      set: new Set([1, 2]),
      url: new URL('https://h/p?token=abc123'),
    });
    expect(result).toEqual({
      big: '12345678901234567890',
      sym: 'Symbol(tag)',
      fn: '[Function named]',
      anon: '[Function]',
      date: '1970-01-01T00:00:00.000Z',
      bad: 'Invalid Date',
      bytes: '[Buffer 3 bytes]',
      map: { token: '[REDACTED]', 1: 'one' },
      set: [1, 2],
      url: 'https://h/p?token=[REDACTED]',
    });
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('survives throwing getters, throwing toJSON and hostile proxies', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const toJSON = {
      toJSON() {
        throw new Error('toJSON');
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
        getPrototypeOf() {
          throw new Error('proto');
        },
      },
    );
    expect(sanitizeValue(getter)).toEqual({ ok: 1, boom: '[Unreadable]' });
    expect(sanitizeValue(toJSON)).toBe('[Unserializable]');
    expect(sanitizeValue(proxy)).toBe('[Unserializable]');
  });

  it('bounds depth, array length and key count', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < MAX_DEPTH + 5; i += 1) deep = { deep };
    expect(JSON.stringify(sanitizeValue(deep))).toContain('"[Object]"');

    const items = sanitizeValue(Array.from({ length: MAX_ARRAY_ITEMS + 50 }, (_, i) => i));
    expect(items).toHaveLength(MAX_ARRAY_ITEMS + 1);
    expect((items as unknown[]).at(-1)).toBe(`…[truncated, ${MAX_ARRAY_ITEMS + 50} items]`);

    const wide = Object.fromEntries(
      Array.from({ length: MAX_OBJECT_KEYS + 1 }, (_, i) => [`k${i}`, i]),
    );
    const result = sanitizeValue(wide) as Record<string, unknown>;
    expect(Object.keys(result)).toHaveLength(MAX_OBJECT_KEYS + 1);
    expect(result['…']).toBe(`[truncated, ${MAX_OBJECT_KEYS + 1} keys]`);
  });

  it('cannot be steered into a prototype by a __proto__ key', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const result = sanitizeValue(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });
});

describe('serializeError', () => {
  it('writes name, message, code, stack and cause, redacted', () => {
    const cause = new TypeError(`upstream said Bearer ${JWT}`);
    const error = Object.assign(new Error(`login failed for ${JWT}`, { cause }), {
      code: 'E_AUTH',
    });
    const result = serializeError(error);
    expect(result).toMatchObject({
      name: 'Error',
      message: 'login failed for [REDACTED]',
      code: 'E_AUTH',
      cause: { name: 'TypeError', message: 'upstream said Bearer [REDACTED]' },
    });
    expect(result.stack).toContain('login failed for [REDACTED]');
    expect(JSON.stringify(result)).not.toContain('eyJ');
  });

  it('handles a cause cycle and a throwing message getter', () => {
    const error = new Error('outer');
    (error as { cause?: unknown }).cause = error;
    expect(serializeError(error).cause).toBe('[Circular]');

    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no');
      },
    });
    expect(serializeError(hostile)).toMatchObject({ name: 'Error', message: '[Unreadable]' });
  });

  it('serializes errors found anywhere in a value', () => {
    const result = sanitizeValue({ attempts: [{ failure: new RangeError('r') }] });
    expect(result).toMatchObject({ attempts: [{ failure: { name: 'RangeError', message: 'r' } }] });
  });
});
