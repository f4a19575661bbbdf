import { MAX_TICKET_TTL_MS, newTicket, type TicketStore } from '@app/ws-core';
import { RoutesConfigError } from './errors.js';
import type { VerifiedToken } from './token-verifier.js';

/** Unredeemed tickets a user may hold by default (docs/security.md#tickets). */
export const DEFAULT_MAX_TICKETS_PER_USER = 20;

/** How often expired tickets are swept by default, in ms. */
export const DEFAULT_TICKET_SWEEP_INTERVAL_MS = 10_000;

/** Options of {@link createInMemoryTicketStore}. */
export interface InMemoryTicketStoreOptions {
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Unredeemed tickets one user may hold; issuing one more invalidates that user's oldest.
   * Default 20.
   */
  maxPerUser?: number;
  /** How often expired tickets are removed while any are held, in ms. Default 10000. */
  sweepIntervalMs?: number;
}

/** The in-memory `TicketStore`, with how many tickets it holds. */
export interface InMemoryTicketStore extends TicketStore<VerifiedToken> {
  /** Tickets held (issued, neither redeemed, invalidated nor swept yet). */
  readonly size: number;
}

interface StoredTicket {
  readonly token: VerifiedToken;
  readonly expiresAtMs: number;
}

/**
 * The default `TicketStore` (the contract is `@app/ws-core`'s): one process's memory, so tickets
 * only work on the node that issued them. Tickets are 256 random bits (base64url).
 *
 * Memory is bounded per user and falls back when issuing stops: a user holds at most
 * `maxPerUser` unredeemed tickets (the oldest is invalidated by one more), and a timer sweeps
 * expired tickets every `sweepIntervalMs` for as long as any ticket is held. The timer is
 * unref'd and stops when the store is empty, so an idle store holds no timer at all.
 */
export function createInMemoryTicketStore(
  options: InMemoryTicketStoreOptions = {},
): InMemoryTicketStore {
  const now = options.now ?? Date.now;
  const maxPerUser = positiveInteger(
    'maxPerUser',
    options.maxPerUser,
    DEFAULT_MAX_TICKETS_PER_USER,
  );
  const sweepIntervalMs = positiveInteger(
    'sweepIntervalMs',
    options.sweepIntervalMs,
    DEFAULT_TICKET_SWEEP_INTERVAL_MS,
  );
  const tickets = new Map<string, StoredTicket>();
  /** Each user's unredeemed tickets, oldest first (a Set iterates in insertion order). */
  const byUser = new Map<string, Set<string>>();
  let sweeper: NodeJS.Timeout | undefined;

  const forget = (ticket: string, userId: string): void => {
    tickets.delete(ticket);
    const own = byUser.get(userId);
    own?.delete(ticket);
    if (own?.size === 0) byUser.delete(userId);
  };

  const sweep = (): void => {
    const at = now();
    for (const [ticket, stored] of tickets) {
      if (stored.expiresAtMs <= at) forget(ticket, stored.token.userId);
    }
    if (tickets.size === 0 && sweeper !== undefined) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  return {
    get size() {
      return tickets.size;
    },
    issue(token, ttlMs = MAX_TICKET_TTL_MS) {
      const { ticket, expiresAtMs } = newTicket(token, ttlMs, now());
      tickets.set(ticket, { token, expiresAtMs });
      let own = byUser.get(token.userId);
      if (own === undefined) {
        own = new Set();
        byUser.set(token.userId, own);
      }
      own.add(ticket);
      if (own.size > maxPerUser) {
        const oldest = own.values().next().value;
        if (oldest !== undefined) forget(oldest, token.userId);
      }
      if (sweeper === undefined) {
        sweeper = setInterval(sweep, sweepIntervalMs);
        sweeper.unref();
      }
      return Promise.resolve({ ticket, expiresAt: new Date(expiresAtMs) });
    },
    redeem(ticket) {
      const stored = tickets.get(ticket);
      if (stored === undefined) return Promise.resolve(undefined);
      forget(ticket, stored.token.userId);
      const at = now();
      if (stored.expiresAtMs <= at || stored.token.expiresAt.getTime() <= at) {
        return Promise.resolve(undefined);
      }
      return Promise.resolve(stored.token);
    },
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RoutesConfigError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
