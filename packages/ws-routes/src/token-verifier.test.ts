import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthError, RoutesConfigError } from './errors.js';
import { createTokenVerifier, MAX_CLAIM_TIME_SECONDS } from './token-verifier.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const key = new TextEncoder().encode(SECRET);

function hs256(claims: Record<string, unknown>, alg = 'HS256'): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt();
  if (!('exp' in claims)) jwt = jwt.setExpirationTime('5m');
  return jwt.sign(key);
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('createTokenVerifier', () => {
  it('accepts an HS256 token and returns sub, exp and claims', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    const token = await hs256({ sub: 'alice', role: 'user' });
    const verified = await verifier.verify(token);
    expect(verified.userId).toBe('alice');
    expect(verified.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(verified.claims.role).toBe('user');
  });

  it('refuses a missing token, a bad signature and garbage without quoting them', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    expect((await rejection(verifier.verify(''))).code).toBe('WS_AUTH_MISSING');
    const other = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-of-32-bytes-or-more!!'));
    const bad = await rejection(verifier.verify(other));
    expect(bad.code).toBe('WS_AUTH_INVALID');
    expect(bad.message).not.toContain(other);
    expect((await rejection(verifier.verify('not.a.jwt'))).code).toBe('WS_AUTH_INVALID');
  });

  it('requires sub and exp', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    expect((await rejection(verifier.verify(await hs256({ name: 'x' })))).code).toBe(
      'WS_AUTH_INVALID',
    );
    const noExp = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
    expect((await rejection(verifier.verify(noExp))).code).toBe('WS_AUTH_INVALID');
  });

  it('reports an expired token as WS_AUTH_EXPIRED', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    const token = await hs256({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 10 });
    expect((await rejection(verifier.verify(token))).code).toBe('WS_AUTH_EXPIRED');
  });

  it.each([
    ['exp', { exp: 1e13 }],
    ['exp', { exp: MAX_CLAIM_TIME_SECONDS + 1 }],
    ['nbf', { nbf: -1e13 }],
    ['iat', { iat: 1e13 }],
  ])('refuses a %s that fits no date of year 9999 or before (%j)', async (claim, claims) => {
    const verifier = createTokenVerifier({ secret: SECRET });
    const token = await new SignJWT({
      sub: 'alice',
      exp: Math.floor(Date.now() / 1000) + 60,
      ...claims,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('WS_AUTH_INVALID');
    expect(error.message).toBe(`the token's \`${claim}\` is not a valid time`);
  });

  it('accepts an exp in the last second of year 9999', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    const token = await hs256({ sub: 'alice', exp: MAX_CLAIM_TIME_SECONDS });
    const verified = await verifier.verify(token);
    expect(verified.expiresAt.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it('never accepts alg none, nor an algorithm outside the allow-list', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    const unsecured = new UnsecuredJWT({ sub: 'alice' }).setExpirationTime('5m').encode();
    expect((await rejection(verifier.verify(unsecured))).code).toBe('WS_AUTH_INVALID');
    const hs512 = await hs256({ sub: 'alice' }, 'HS512');
    expect((await rejection(verifier.verify(hs512))).code).toBe('WS_AUTH_INVALID');
    expect(() => createTokenVerifier({ secret: SECRET, algorithms: ['none'] })).toThrow(
      RoutesConfigError,
    );
  });

  it('checks issuer and audience when configured', async () => {
    const verifier = createTokenVerifier({ secret: SECRET, issuer: 'me', audience: 'chat' });
    await expect(
      verifier.verify(await hs256({ sub: 'a', iss: 'me', aud: 'chat' })),
    ).resolves.toMatchObject({
      userId: 'a',
    });
    expect(
      (await rejection(verifier.verify(await hs256({ sub: 'a', iss: 'me', aud: 'other' })))).code,
    ).toBe('WS_AUTH_INVALID');
    expect(
      (await rejection(verifier.verify(await hs256({ sub: 'a', iss: 'you', aud: 'chat' })))).code,
    ).toBe('WS_AUTH_INVALID');
  });

  it.each([
    ['RS256', undefined],
    ['ES256', undefined],
    ['EdDSA', 'Ed25519'],
  ])('verifies %s tokens with a PEM public key', async (alg, crv) => {
    const pair = await generateKeyPair(alg, crv === undefined ? {} : { crv });
    const verifier = createTokenVerifier({ publicKey: await exportSPKI(pair.publicKey) });
    const token = await new SignJWT({ sub: 'bob' })
      .setProtectedHeader({ alg })
      .setExpirationTime('5m')
      .sign(pair.privateKey);
    expect((await verifier.verify(token)).userId).toBe('bob');
    // A token signed with the shared-secret algorithm is not accepted by a public-key verifier.
    expect((await rejection(verifier.verify(await hs256({ sub: 'bob' })))).code).toBe(
      'WS_AUTH_INVALID',
    );
  });

  describe('with a JWKS URL', () => {
    let server: Server | undefined;
    afterAll(() => server?.close());

    it('fetches the key set and verifies by kid', async () => {
      const pair = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const verifier = createTokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/jwks.json` });
      const token = await new SignJWT({ sub: 'carol' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setExpirationTime('5m')
        .sign(pair.privateKey);
      expect((await verifier.verify(token)).userId).toBe('carol');
    });
  });

  it('needs exactly one key source', () => {
    expect(() => createTokenVerifier({})).toThrow(RoutesConfigError);
    expect(() => createTokenVerifier({ secret: SECRET, jwksUrl: 'http://x/jwks' })).toThrow(
      RoutesConfigError,
    );
    expect(() => createTokenVerifier({ publicKey: 'not a pem' })).toThrow(RoutesConfigError);
  });
});
