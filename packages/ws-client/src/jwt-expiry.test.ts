import { describe, expect, it } from 'vitest';
import { makeJwt } from '../test/fake-websocket.js';
import { decodeBase64Url, decodeJwtExpiry } from './jwt-expiry.js';

describe('decodeJwtExpiry', () => {
  it('reads exp (seconds) as epoch milliseconds', () => {
    expect(decodeJwtExpiry(makeJwt({ sub: 'alice', exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
  });

  it('decodes base64url payloads with - and _ and without padding, and UTF-8 claims', () => {
    // `name` chosen so its base64 holds both '+' and '/' (which base64url writes as '-' and '_').
    const token = makeJwt({ sub: 'zoë', name: '>>>???ü', exp: 1_700_000_001 });
    const payload = token.split('.')[1]!;
    expect(payload).toMatch(/[-_]/);
    expect(payload).not.toMatch(/[+/=]/);
    expect(decodeJwtExpiry(token)).toBe(1_700_000_001_000);
    expect(JSON.parse(decodeBase64Url(payload))).toMatchObject({ sub: 'zoë', name: '>>>???ü' });
  });

  it.each([
    ['no exp', makeJwt({ sub: 'alice' })],
    ['a string exp', makeJwt({ sub: 'alice', exp: '1800000000' })],
    ['not a JWT', 'opaque-token'],
    ['a payload that is not base64url JSON', 'a.%%%.c'],
    ['a payload that is JSON but not an object', `a.${btoa('42')}.c`],
  ])('is undefined for %s', (_label, token) => {
    expect(decodeJwtExpiry(token)).toBeUndefined();
  });
});
