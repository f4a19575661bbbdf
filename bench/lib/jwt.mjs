/**
 * HS256 JWT signing for the load generators, with node:crypto only (no dependency): the
 * servers verify these tokens with jose (ours through `createTokenVerifier`, the peers directly).
 */
import { createHmac } from 'node:crypto';

function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * Signs a token for `userId` valid for `ttlSec` seconds.
 * @param {string} secret HMAC secret (the servers get the same one in BENCH_JWT_SECRET)
 * @param {string} userId becomes `sub`
 * @param {number} [ttlSec=3600]
 */
export function signToken(secret, userId, ttlSec = 3600) {
  const now = Math.floor(Date.now() / 1000);
  const payload = base64url(JSON.stringify({ sub: userId, iat: now, exp: now + ttlSec }));
  const signature = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}
