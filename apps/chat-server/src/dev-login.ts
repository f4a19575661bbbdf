import { createUserContext } from '@app/ws-core';
import { isAppError } from '@app/ws-protocol';
import { Hono } from 'hono';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { HttpError } from './http-error.js';
import { readJsonBody } from './json-body.js';

/** Lifetime of a development token: 1 hour. */
const DEV_TOKEN_TTL_SECONDS = 3600;

/** Options of {@link signDevToken} and {@link devLoginRoutes}. */
export interface DevTokenOptions {
  /** The HMAC secret the server verifies tokens with (HS256). */
  secret: string;
  /** Set as `iss` when given. */
  issuer?: string;
  /** Set as `aud` when given. */
  audience?: string;
  /** Default {@link DEV_TOKEN_TTL_SECONDS}. */
  ttlSeconds?: number;
}

/** A signed development token and when it expires (ISO-8601). */
export interface DevToken {
  token: string;
  expiresAt: string;
}

/** Signs an HS256 JWT for `userId` (`sub`, `iat`, `exp`, and `iss`/`aud` when configured). */
export async function signDevToken(userId: string, options: DevTokenOptions): Promise<DevToken> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + (options.ttlSeconds ?? DEV_TOKEN_TTL_SECONDS);
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt);
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  const token = await jwt.sign(new TextEncoder().encode(options.secret));
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

const loginBody = z.object(
  {
    userId: z.string({
      error: (issue) =>
        issue.input === undefined ? 'userId is required' : 'userId must be a string',
    }),
  },
  { error: 'The body must be a JSON object such as {"userId":"alice"}' },
);

/**
 * `POST /` (mounted at `/api/v1/dev/login`): body `{"userId"}` → `{"token","expiresAt"}`.
 * The user id is checked by ws-core's `createUserContext` (1 to 128 characters, no control
 * characters), so a token is never issued for a user the socket would refuse.
 */
export function devLoginRoutes(options: DevTokenOptions): Hono {
  return new Hono().post('/', async (c) => {
    const { userId } = await readJsonBody(c, loginBody);
    try {
      createUserContext({ userId });
    } catch (error) {
      if (isAppError(error, 'WS_INVALID_USER_CONTEXT')) {
        throw new HttpError(400, 'invalid_request', error.message);
      }
      throw error;
    }
    return c.json(await signDevToken(userId, options));
  });
}
