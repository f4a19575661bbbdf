/**
 * JWT verification for the peer servers: jose's `jwtVerify` with HS256 and the same required
 * claims as ours' `createTokenVerifier`, so every stack pays the same verification.
 */
import { jwtVerify } from 'jose';

const secret = new Uint8Array(Buffer.from(process.env.BENCH_JWT_SECRET ?? '', 'utf8'));
const options = { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] };

/** Resolves with the user id, or rejects. */
export async function verifyUser(token) {
  const { payload } = await jwtVerify(token, secret, options);
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('no sub');
  return payload.sub;
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header) {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}
