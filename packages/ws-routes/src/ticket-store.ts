import { MAX_TICKET_TTL_MS, newTicket, type TicketStore } from '@app/ws-core';
import type { VerifiedToken } from './token-verifier.js';

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
 * The default `TicketStore` (the contract is `@app/ws-core`'s): one process's memory, so tickets
 * only work on the node that issued them. Tickets are 256 random bits (base64url); expired ones
 * are swept as new ones are issued, so memory stays bounded without timers.
 */
export function createInMemoryTicketStore(
  options: InMemoryTicketStoreOptions = {},
): TicketStore<VerifiedToken> {
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
      const { ticket, expiresAtMs } = newTicket(token, ttlMs, at);
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
