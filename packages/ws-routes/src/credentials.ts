import type { IncomingMessage } from 'node:http';
import { bearerFromSubprotocols, offeredSubprotocols } from './subprotocol.js';

/** Where a connection's credential came from. */
export type CredentialSource = 'header' | 'subprotocol' | 'ticket';

/** The credential an upgrade request presents. */
export type Credential =
  | { kind: 'jwt'; token: string; source: 'header' | 'subprotocol' }
  | { kind: 'ticket'; ticket: string; source: 'ticket' };

/** Why an upgrade request presents no usable credential. */
export type CredentialProblem =
  /** Nothing at all. */
  | 'missing'
  /** A `?token=` query parameter: never accepted, even beside another credential. */
  | 'token_in_query'
  /** An `Authorization` header that is not `Bearer <token>`. */
  | 'malformed_header';

/**
 * Finds the credential of an upgrade request (docs/protocol.md#credentials), the first one present winning:
 * `Authorization: Bearer <JWT>`, then an offered `bearer.<JWT>` subprotocol, then `?ticket=`.
 * A `?token=` parameter refuses the request whatever else it carries, since the token has
 * already leaked into URLs and logs.
 */
export function findCredential(
  request: IncomingMessage,
  query: URLSearchParams,
): { ok: true; credential: Credential } | { ok: false; problem: CredentialProblem } {
  if (query.has('token')) return { ok: false, problem: 'token_in_query' };

  const authorization = request.headers.authorization;
  if (authorization !== undefined && authorization.trim() !== '') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
    if (match?.[1] === undefined) return { ok: false, problem: 'malformed_header' };
    return { ok: true, credential: { kind: 'jwt', token: match[1], source: 'header' } };
  }

  const bearer = bearerFromSubprotocols(offeredSubprotocols(request));
  if (bearer !== undefined && bearer !== '') {
    return { ok: true, credential: { kind: 'jwt', token: bearer, source: 'subprotocol' } };
  }

  const ticket = query.get('ticket');
  if (ticket !== null && ticket !== '') {
    return { ok: true, credential: { kind: 'ticket', ticket, source: 'ticket' } };
  }
  return { ok: false, problem: 'missing' };
}
