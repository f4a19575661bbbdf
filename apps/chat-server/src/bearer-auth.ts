import { createUserContext } from '@app/ws-core';
import type { TokenVerifier, VerifiedToken } from '@app/ws-routes';
import { HttpError } from './http-error.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Verifies the `Authorization: Bearer <JWT>` header of an HTTP API request with the socket's
 * own verifier, so every endpoint accepts exactly the tokens `/ws` accepts.
 *
 * @param header the request's `Authorization` header
 * @throws HttpError 401 `unauthorized` without a header, with a token that is not accepted, or
 *   with one whose `sub` breaks the user-id rules (1 to 128 characters, no control characters)
 */
export async function verifyBearer(
  header: string | undefined,
  verifier: TokenVerifier,
): Promise<VerifiedToken> {
  const token = BEARER.exec(header ?? '')?.[1];
  if (token === undefined) {
    throw new HttpError(401, 'unauthorized', 'An Authorization: Bearer <JWT> header is required');
  }
  let verified: VerifiedToken;
  try {
    verified = await verifier.verify(token);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the token could not be verified';
    throw new HttpError(401, 'unauthorized', `The token is not accepted: ${reason}`);
  }
  try {
    // The user-id rules of `/ws` (docs/security.md#one-user-id-rule), from the one place that
    // keeps them: a `sub` that could never open a socket opens no endpoint either.
    createUserContext({ userId: verified.userId });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the token names no valid user';
    throw new HttpError(401, 'unauthorized', `The token is not accepted: ${reason}`);
  }
  return verified;
}
