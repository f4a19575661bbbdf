import type { TicketStore, VerifiedToken } from '@app/ws-routes';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  deleteKeys,
  type SharedRedis,
  uniquePrefix,
  useSharedRedis,
} from '../test-support/redis-harness';
import { sleep } from '../test-support/stream-fixtures';
import { createRedisTicketStore, type RedisTicketStore } from './ticket-store';

let redis: SharedRedis;
const prefix = uniquePrefix();
const clients: ReturnType<typeof createClient>[] = [];

async function client(): Promise<ReturnType<typeof createClient>> {
  const c = createClient({ url: redis.url });
  c.on('error', () => undefined);
  await c.connect();
  clients.push(c);
  return c;
}

const token = (expiresInMs = 3_600_000): VerifiedToken => ({
  userId: 'alice',
  expiresAt: new Date(Date.now() + expiresInMs),
  claims: { sub: 'alice', exp: 1, scope: ['chat'] },
});

beforeAll(async () => {
  redis = await useSharedRedis();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await deleteKeys(redis.url, prefix);
  await redis.release();
});

describe('createRedisTicketStore', () => {
  it('is a TicketStore of @app/ws-routes', () => {
    expectTypeOf<RedisTicketStore<VerifiedToken>>().toExtend<TicketStore>();
  });

  it('redeems a ticket once, on whichever node, with the token it was issued for', async () => {
    const nodeA = createRedisTicketStore<VerifiedToken>(await client(), prefix);
    const nodeB = createRedisTicketStore<VerifiedToken>(await client(), prefix);
    const issued = token();
    const { ticket, expiresAt } = await nodeA.issue(issued);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    const [first, second] = await Promise.all([nodeB.redeem(ticket), nodeA.redeem(ticket)]);
    const winners = [first, second].filter((t) => t !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toEqual(issued);
    expect(winners[0]!.expiresAt).toBeInstanceOf(Date);
    expect(await nodeB.redeem(ticket)).toBeUndefined();
  });

  it('expires tickets after their TTL, never after the token, and ignores garbage', async () => {
    const c = await client();
    const store = createRedisTicketStore(c, prefix);
    const short = await store.issue(token(), 100);
    await sleep(200);
    expect(await store.redeem(short.ticket)).toBeUndefined();
    const capped = await store.issue(token(150));
    expect(capped.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 150);
    const pttl = await c.pTTL(`${prefix}ticket:${capped.ticket}`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(150);
    const expired = await store.issue(token(-1));
    expect(await store.redeem(expired.ticket)).toBeUndefined();
    expect(await store.redeem('*')).toBeUndefined();
    expect(await store.redeem('x'.repeat(43) + '\r\n')).toBeUndefined();
  });
});
