import { randomBytes } from 'node:crypto';
import type { VerifiedToken } from './token-verifier.js';

/** The longest a ticket may live (docs/protocol.md#credentials): 60 s. */
export const MAX_TICKET_TTL_MS = 60_000;

/**
 * Single-use connection tickets (`?ticket=`), bound to the user whose JWT obtained them.
 * Replaceable: several nodes share one store whose `redeem` is an atomic get-and-delete.
 */
export interface TicketStore {
  /**
   * Issues a ticket for a verified token. `ttlMs` defaults to and is capped at 60000, and the
   * ticket never outlives the token.
   */
  issue(token: VerifiedToken, ttlMs?: number): Promise<{ ticket: string; expiresAt: Date }>;
  /**
   * Consumes a ticket: the token it was issued for, once; `undefined` when it is unknown, already
   * used, or expired (or its token expired).
   */
  redeem(ticket: string): Promise<VerifiedToken | undefined>;
}

/** Options of {@link createInMemoryTicketStore}. */
export interface InMemoryTicketStoreOptions {
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

interface StoredTicket {
  readonly token: VerifiedToken;
  readonly expiresAtMs: number;
}

/**
 * The default {@link TicketStore}: one process's memory, so tickets only work on the node that
 * issued them. Tickets are 256 random bits (base64url); expired ones are swept as new ones are
 * issued, so memory stays bounded without timers.
 */
export function createInMemoryTicketStore(options: InMemoryTicketStoreOptions = {}): TicketStore {
  const now = options.now ?? Date.now;
  const tickets = new Map<string, StoredTicket>();
  let issuedSinceSweep = 0;

  const sweep = (at: number): void => {
    for (const [ticket, stored] of tickets) {
      if (stored.expiresAtMs <= at) tickets.delete(ticket);
    }
  };

  return {
    issue(token, ttlMs = MAX_TICKET_TTL_MS) {
      const at = now();
      // A sweep walks the whole map, so it runs once per 256 tickets issued.
      if (++issuedSinceSweep >= 256) {
        issuedSinceSweep = 0;
        sweep(at);
      }
      const ttl = Math.max(0, Math.min(ttlMs, MAX_TICKET_TTL_MS));
      const expiresAtMs = Math.min(at + ttl, token.expiresAt.getTime());
      const ticket = randomBytes(32).toString('base64url');
      tickets.set(ticket, { token, expiresAtMs });
      return Promise.resolve({ ticket, expiresAt: new Date(expiresAtMs) });
    },
    redeem(ticket) {
      const stored = tickets.get(ticket);
      if (stored === undefined) return Promise.resolve(undefined);
      tickets.delete(ticket);
      const at = now();
      if (stored.expiresAtMs <= at || stored.token.expiresAt.getTime() <= at) {
        return Promise.resolve(undefined);
      }
      return Promise.resolve(stored.token);
    },
  };
}
