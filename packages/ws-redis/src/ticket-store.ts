import { MAX_TICKET_TTL_MS, newTicket, type TicketStore, type TicketToken } from '@app/ws-core';
import type { CommandSender } from './lua-script';

/** Tickets are 256 random bits in base64url: 43 characters. */
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates the Redis `TicketStore` (the contract is `@app/ws-core`'s; pass the route's
 * `VerifiedToken` as `T`): each ticket is a key holding its token (JSON) with the ticket's
 * TTL, and `redeem` takes it with `GETDEL`, so a ticket opens one connection, on whichever node
 * (docs/scaling.md#rule-5-limits-across-nodes).
 * @param client a node-redis v5 client (the engine's, or any other).
 * @param keyPrefix prefix of the ticket keys (`<prefix>ticket:<ticket>`). Default `ws:`.
 */
export function createRedisTicketStore<T extends TicketToken = TicketToken>(
  client: CommandSender,
  keyPrefix = 'ws:',
): TicketStore<T> {
  const key = (ticket: string): string => `${keyPrefix}ticket:${ticket}`;
  return {
    async issue(token, ttlMs = MAX_TICKET_TTL_MS) {
      const now = Date.now();
      const { ticket, expiresAtMs } = newTicket(token, ttlMs, now);
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
