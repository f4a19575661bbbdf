import type { TicketStore } from '@app/ws-core';
import type { AttemptLimiter, TokenVerifier, VerifiedToken } from '@app/ws-routes';
import { Hono } from 'hono';
import { verifyBearer } from './bearer-auth.js';
import { HttpError } from './http-error.js';

/** What {@link wsTicketRoutes} needs: the socket's own verifier and ticket store, and a limit. */
export interface WsTicketDeps {
  verifier: TokenVerifier;
  tickets: TicketStore<VerifiedToken>;
  /** Counts issues per user (`WS_TICKETS_PER_MINUTE`, docs/security.md#tickets). */
  limiter: AttemptLimiter;
}

/**
 * `POST /` (mounted at `/api/v1/ws-ticket`): header `Authorization: Bearer <JWT>` →
 * `{"ticket","expiresAt"}`, a single-use ticket for `/ws?ticket=` valid at most 60 s. 401 (with
 * `WWW-Authenticate: Bearer`) without a valid JWT; 429 `rate_limited` with `Retry-After` past
 * the user's limit per minute. The limit is counted per user (the token's `sub`), after the
 * token is verified, so nobody can spend another user's allowance.
 */
export function wsTicketRoutes(deps: WsTicketDeps): Hono {
  return new Hono().post('/', async (c) => {
    const verified = await verifyBearer(c.req.header('Authorization'), deps.verifier);
    const decision = await deps.limiter.consume(verified.userId);
    if (!decision.allowed) {
      throw new HttpError(
        429,
        'rate_limited',
        'Too many tickets requested; try again later',
        decision.retryAfterMs,
      );
    }
    const { ticket, expiresAt } = await deps.tickets.issue(verified);
    return c.json({ ticket, expiresAt: expiresAt.toISOString() });
  });
}
