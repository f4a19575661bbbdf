import { describe, expect, it } from 'vitest';
import { useRedisTestSuite } from '../test-support/redis-test-suite';
import { sleep } from '../test-support/stream-fixtures';
import { createRedisTicketStore } from './ticket-store';

const { prefix, client } = useRedisTestSuite();

/** A route's verified token: more than the store needs, all of which must come back. */
interface VerifiedToken {
  readonly userId: string;
  readonly expiresAt: Date;
  readonly claims: { sub: string; exp: number; scope: string[] };
}

const token = (expiresInMs = 3_600_000): VerifiedToken => ({
  userId: 'alice',
  expiresAt: new Date(Date.now() + expiresInMs),
  claims: { sub: 'alice', exp: 1, scope: ['chat'] },
});

describe('createRedisTicketStore', () => {
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
    // A token that expires in 30 s, before the 60 s a ticket may live: the ticket goes with it.
    const shortToken = token(30_000);
    const capped = await store.issue(shortToken);
    expect(capped.expiresAt).toEqual(shortToken.expiresAt);
    const pttl = await c.pTTL(`${prefix}ticket:${capped.ticket}`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(30_000);
    const expired = await store.issue(token(-1));
    expect(await store.redeem(expired.ticket)).toBeUndefined();
    expect(await store.redeem('*')).toBeUndefined();
    expect(await store.redeem('x'.repeat(43) + '\r\n')).toBeUndefined();
  });

  it('holds at most maxPerUser unredeemed tickets per user: one more deletes the oldest', async () => {
    const c = await client();
    const store = createRedisTicketStore<VerifiedToken>(c, prefix, { maxPerUser: 3 });
    const alice = token();
    const issued: string[] = [];
    for (let i = 0; i < 5; i += 1) issued.push((await store.issue(alice)).ticket);
    const bobs = await store.issue({ ...token(), userId: 'bob' });
    expect(await c.exists(`${prefix}ticket:${issued[0]}`)).toBe(0);
    expect(await store.redeem(issued[1]!)).toBeUndefined();
    expect(await store.redeem(issued[2]!)).toEqual(alice);
    expect(await store.redeem(issued[4]!)).toEqual(alice);
    expect(await store.redeem(bobs.ticket)).toMatchObject({ userId: 'bob' });
    const pttl = await c.pTTL(`${prefix}tickets:{alice}`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('holds 20 per user by default', async () => {
    const c = await client();
    const store = createRedisTicketStore<VerifiedToken>(c, prefix);
    const issued: string[] = [];
    for (let i = 0; i < 21; i += 1) issued.push((await store.issue(token())).ticket);
    expect(await store.redeem(issued[0]!)).toBeUndefined();
    expect(await store.redeem(issued[1]!)).toBeDefined();
    expect(await store.redeem(issued[20]!)).toBeDefined();
  });
});
