import { describe, expect, it } from 'vitest';
import { InvalidUserContextError } from './errors';
import { createUserContext } from './user-context';

describe('createUserContext', () => {
  it('returns a frozen context with the extra fields', () => {
    const ctx = createUserContext({ userId: 'alice', roles: ['admin'] });
    expect(ctx).toEqual({ userId: 'alice', roles: ['admin'] });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(createUserContext({ userId: 'x'.repeat(128) }).userId).toHaveLength(128);
    expect(createUserContext({ userId: 'émilie 😀' }).userId).toBe('émilie 😀');
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['a newline', 'a\nb'],
    ['a NUL', 'a\u0000'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
    ['not a string', 42],
  ])('refuses a user id that is %s', (_name, userId) => {
    expect(() => createUserContext({ userId: userId as string })).toThrow(InvalidUserContextError);
    expect(() => createUserContext({ userId: userId as string })).toThrow(
      expect.objectContaining({ code: 'WS_INVALID_USER_CONTEXT' }),
    );
  });
});
