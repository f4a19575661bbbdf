import type { TicketStore } from '@app/ws-core';
import type { TokenVerifier, VerifiedToken } from '@app/ws-routes';
import { Hono } from 'hono';
import { verifyBearer } from './bearer-auth.js';

/** What {@link wsTicketRoutes} needs: the socket's own verifier and ticket store. */
export interface WsTicketDeps {
  verifier: TokenVerifier;
  tickets: TicketStore<VerifiedToken>;
}

/**
 * `POST /` (mounted at `/api/v1/ws-ticket`): header `Authorization: Bearer <JWT>` →
 * `{"ticket","expiresAt"}`, a single-use ticket for `/ws?ticket=` valid at most 60 s. 401 (with
 * `WWW-Authenticate: Bearer`) without a valid JWT.
 */
export function wsTicketRoutes(deps: WsTicketDeps): Hono {
  return new Hono().post('/', async (c) => {
    const verified = await verifyBearer(c.req.header('Authorization'), deps.verifier);
    const { ticket, expiresAt } = await deps.tickets.issue(verified);
    return c.json({ ticket, expiresAt: expiresAt.toISOString() });
  });
}
