import type { TicketStore, TokenVerifier } from '@app/ws-routes';
import { Hono } from 'hono';
import { HttpError } from './http-error.js';

/** What {@link wsTicketRoutes} needs: the socket's own verifier and ticket store. */
export interface WsTicketDeps {
  verifier: TokenVerifier;
  tickets: TicketStore;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * `POST /` (mounted at `/api/v1/ws-ticket`): header `Authorization: Bearer <JWT>` →
 * `{"ticket","expiresAt"}`, a single-use ticket for `/ws?ticket=` valid at most 60 s. 401 (with
 * `WWW-Authenticate: Bearer`) without a valid JWT.
 */
export function wsTicketRoutes(deps: WsTicketDeps): Hono {
  return new Hono().post('/', async (c) => {
    const token = BEARER.exec(c.req.header('Authorization') ?? '')?.[1];
    if (token === undefined) {
      throw new HttpError(401, 'unauthorized', 'An Authorization: Bearer <JWT> header is required');
    }
    let verified;
    try {
      verified = await deps.verifier.verify(token);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'the token could not be verified';
      throw new HttpError(401, 'unauthorized', `The token is not accepted: ${reason}`);
    }
    const { ticket, expiresAt } = await deps.tickets.issue(verified);
    return c.json({ ticket, expiresAt: expiresAt.toISOString() });
  });
}
