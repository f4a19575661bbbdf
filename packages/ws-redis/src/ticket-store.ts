import { MAX_TICKET_TTL_MS, newTicket, type TicketStore, type TicketToken } from '@app/ws-core';
import type { CommandSender } from './lua-script';

/** Unredeemed tickets a user may hold by default (docs/security.md#tickets). */
const DEFAULT_MAX_PER_USER = 20;

/** Tickets are 256 random bits in base64url: 43 characters. */
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates the Redis `TicketStore` (the contract is `@app/ws-core`'s; pass the route's
 * `VerifiedToken` as `T`): each ticket is a key holding its token (JSON) with the ticket's
 * TTL, and `redeem` takes it with `GETDEL`, so a ticket opens one connection, on whichever node
 * (docs/scaling.md#rule-5-limits-across-nodes).
 *
 * A user holds at most `maxPerUser` unredeemed tickets: each user's issued tickets are listed,
 * oldest first, in `<prefix>tickets:{<userId>}` (living as long as a ticket may), and issuing
 * one more than `maxPerUser` deletes the oldest. Every command names one key, so the store needs
 * no script and no two keys on one cluster slot.
 * @param client a node-redis v5 client (the engine's, or any other).
 * @param keyPrefix prefix of the ticket keys (`<prefix>ticket:<ticket>`). Default `ws:`.
 * @param options `maxPerUser`: unredeemed tickets per user (default 20).
 */
export function createRedisTicketStore<T extends TicketToken = TicketToken>(
  client: CommandSender,
  keyPrefix = 'ws:',
  options: { maxPerUser?: number } = {},
): TicketStore<T> {
  const maxPerUser = options.maxPerUser ?? DEFAULT_MAX_PER_USER;
  if (!Number.isSafeInteger(maxPerUser) || maxPerUser < 1) {
    throw new RangeError(`maxPerUser must be a positive integer, got ${String(maxPerUser)}`);
  }
  const key = (ticket: string): string => `${keyPrefix}ticket:${ticket}`;
  const userKey = (userId: string): string => `${keyPrefix}tickets:{${userId}}`;
  /** Lists the new ticket under its user and deletes that user's oldest beyond `maxPerUser`. */
  const keepNewest = async (userId: string, ticket: string): Promise<void> => {
    const list = userKey(userId);
    const length = Number(await client.sendCommand(['RPUSH', list, ticket]));
    await client.sendCommand(['PEXPIRE', list, String(MAX_TICKET_TTL_MS)]);
    if (length <= maxPerUser) return;
    const oldest = await client.sendCommand(['LPOP', list, String(length - maxPerUser)]);
    const evicted = Array.isArray(oldest) ? oldest.filter((t) => typeof t === 'string') : [];
    for (const old of evicted) await client.sendCommand(['DEL', key(old)]);
  };
  return {
    async issue(token, ttlMs = MAX_TICKET_TTL_MS) {
      const now = Date.now();
      const { ticket, expiresAtMs } = newTicket(token, ttlMs, now);
      const lifetime = Math.ceil(expiresAtMs - now);
      if (lifetime > 0) {
        const stored = JSON.stringify({ ...token, expiresAt: token.expiresAt.getTime() });
        await client.sendCommand(['SET', key(ticket), stored, 'PX', String(lifetime)]);
        await keepNewest(token.userId, ticket);
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
