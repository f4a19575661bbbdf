import { randomBytes } from 'node:crypto';
import type { CommandSender } from './lua-script';

/** The longest a ticket may live (docs/protocol.md#credentials): 60 s. */
export const MAX_TICKET_TTL_MS = 60_000;

/** What a ticket is issued for: a verified token's user and expiry (and whatever else it has). */
export interface TicketToken {
  readonly userId: string;
  readonly expiresAt: Date;
}

/**
 * Single-use connection tickets shared by every node. Structurally the `TicketStore` of
 * `@app/ws-routes` when `T` is its `VerifiedToken` (declared here so that this package does not
 * depend on the endpoint package).
 */
export interface RedisTicketStore<T extends TicketToken = TicketToken> {
  /** Issues a ticket for `token`: `ttlMs` defaults to and is capped at 60000, never past the token. */
  issue(token: T, ttlMs?: number): Promise<{ ticket: string; expiresAt: Date }>;
  /** The token the ticket was issued for, once; undefined when unknown, used or expired. */
  redeem(ticket: string): Promise<T | undefined>;
}

/** Tickets are 256 random bits in base64url: 43 characters. */
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates the Redis ticket store: each ticket is a key holding its token (JSON) with the ticket's
 * TTL, and `redeem` takes it with `GETDEL`, so a ticket opens one connection, on whichever node
 * (docs/scaling.md#rule-5-limits-across-nodes).
 * @param client a node-redis v5 client (the engine's, or any other).
 * @param keyPrefix prefix of the ticket keys (`<prefix>ticket:<ticket>`). Default `ws:`.
 */
export function createRedisTicketStore<T extends TicketToken = TicketToken>(
  client: CommandSender,
  keyPrefix = 'ws:',
): RedisTicketStore<T> {
  const key = (ticket: string): string => `${keyPrefix}ticket:${ticket}`;
  return {
    async issue(token, ttlMs = MAX_TICKET_TTL_MS) {
      const now = Date.now();
      const ttl = Math.max(0, Math.min(ttlMs, MAX_TICKET_TTL_MS));
      const expiresAtMs = Math.min(now + ttl, token.expiresAt.getTime());
      const ticket = randomBytes(32).toString('base64url');
      const lifetime = Math.ceil(expiresAtMs - now);
      if (lifetime > 0) {
        const stored = JSON.stringify({ ...token, expiresAt: token.expiresAt.getTime() });
        await client.sendCommand(['SET', key(ticket), stored, 'PX', String(lifetime)]);
      }
      return { ticket, expiresAt: new Date(expiresAtMs) };
    },
    async redeem(ticket) {
      if (typeof ticket !== 'string' || !TICKET_SHAPE.test(ticket)) return undefined;
      const stored = await client.sendCommand(['GETDEL', key(ticket)]);
      if (typeof stored !== 'string') return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(stored);
      } catch {
        return undefined;
      }
      if (typeof parsed !== 'object' || parsed === null) return undefined;
      const expiresAt = (parsed as { expiresAt?: unknown }).expiresAt;
      if (typeof expiresAt !== 'number' || expiresAt <= Date.now()) return undefined;
      return { ...parsed, expiresAt: new Date(expiresAt) } as T;
    },
  };
}
