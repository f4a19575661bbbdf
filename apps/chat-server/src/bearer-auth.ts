import type { TokenVerifier, VerifiedToken } from '@app/ws-routes';
import { HttpError } from './http-error.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Verifies the `Authorization: Bearer <JWT>` header of an HTTP API request with the socket's
 * own verifier, so every endpoint accepts exactly the tokens `/ws` accepts.
 *
 * @param header the request's `Authorization` header
 * @throws HttpError 401 `unauthorized` without a header or with a token that is not accepted
 */
export async function verifyBearer(
  header: string | undefined,
  verifier: TokenVerifier,
): Promise<VerifiedToken> {
  const token = BEARER.exec(header ?? '')?.[1];
  if (token === undefined) {
    throw new HttpError(401, 'unauthorized', 'An Authorization: Bearer <JWT> header is required');
  }
  try {
    return await verifier.verify(token);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the token could not be verified';
    throw new HttpError(401, 'unauthorized', `The token is not accepted: ${reason}`);
  }
}
