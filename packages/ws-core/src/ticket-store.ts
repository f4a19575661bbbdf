import { randomBytes } from 'node:crypto';

/** The longest a connection ticket may live (`docs/protocol.md#credentials`): 60 s. */
export const MAX_TICKET_TTL_MS = 60_000;

/** What a ticket is issued for: a verified credential's user and expiry (and whatever else). */
export interface TicketToken {
  readonly userId: string;
  readonly expiresAt: Date;
}

/**
 * Single-use connection tickets (`?ticket=`), bound to the credential that obtained them. The
 * route redeems them; a store shared by several nodes (`createRedisTicketStore` of
 * `@app/ws-redis`) makes `redeem` an atomic get-and-delete. `T` is the route's verified token.
 */
export interface TicketStore<T extends TicketToken = TicketToken> {
  /**
   * Issues a ticket for a verified token. `ttlMs` defaults to and is capped at
   * {@link MAX_TICKET_TTL_MS}, and the ticket never outlives the token.
   */
  issue(token: T, ttlMs?: number): Promise<{ ticket: string; expiresAt: Date }>;
  /**
   * Consumes a ticket: the token it was issued for, once; `undefined` when it is unknown, already
   * used, or expired (or its token expired).
   */
  redeem(ticket: string): Promise<T | undefined>;
}

/**
 * A new ticket and when it expires, for a store's `issue`: 256 random bits in base64url (43
 * characters), living `ttlMs` capped at {@link MAX_TICKET_TTL_MS} and at the token's expiry.
 */
export function newTicket(
  token: TicketToken,
  ttlMs: number,
  nowMs: number,
): { readonly ticket: string; readonly expiresAtMs: number } {
  const ttl = Math.max(0, Math.min(ttlMs, MAX_TICKET_TTL_MS));
  return {
    ticket: randomBytes(32).toString('base64url'),
    expiresAtMs: Math.min(nowMs + ttl, token.expiresAt.getTime()),
  };
}
