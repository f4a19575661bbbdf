import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryTicketStore } from './ticket-store.js';
import type { VerifiedToken } from './token-verifier.js';

const token = (expiresInMs: number, now = 1_000_000, userId = 'alice'): VerifiedToken => ({
  userId,
  expiresAt: new Date(now + expiresInMs),
  claims: { sub: userId },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createInMemoryTicketStore', () => {
  it('redeems a ticket once, for the user it was issued to', async () => {
    const store = createInMemoryTicketStore();
    const issued = token(300_000, Date.now());
    const { ticket, expiresAt } = await store.issue(issued);
    expect(ticket).toMatch(/^[\w-]{40,}$/);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await store.redeem(ticket)).toBe(issued);
    expect(await store.redeem(ticket)).toBeUndefined();
    expect(await store.redeem('unknown')).toBeUndefined();
  });

  it('caps the lifetime at 60 s and at the token expiry', async () => {
    let now = 1_000_000;
    const store = createInMemoryTicketStore({ now: () => now });
    const long = await store.issue(token(300_000), 120_000);
    expect(long.expiresAt.getTime()).toBe(now + 60_000);
    const short = await store.issue(token(10_000));
    expect(short.expiresAt.getTime()).toBe(now + 10_000);
    now += 60_001;
    expect(await store.redeem(long.ticket)).toBeUndefined();
    expect(await store.redeem(short.ticket)).toBeUndefined();
  });

  it('refuses a ticket whose token expired first', async () => {
    let now = 1_000_000;
    const store = createInMemoryTicketStore({ now: () => now });
    const { ticket } = await store.issue(token(5_000), 60_000);
    now += 5_000;
    expect(await store.redeem(ticket)).toBeUndefined();
  });

  it('holds at most maxPerUser unredeemed tickets per user: one more invalidates the oldest', async () => {
    const store = createInMemoryTicketStore({ maxPerUser: 3 });
    const alice = token(300_000, Date.now());
    const issued = [];
    for (let i = 0; i < 5; i += 1) issued.push((await store.issue(alice)).ticket);
    const bobs = await store.issue(token(300_000, Date.now(), 'bob'));
    expect(store.size).toBe(4);
    expect(await store.redeem(issued[0]!)).toBeUndefined();
    expect(await store.redeem(issued[1]!)).toBeUndefined();
    expect(await store.redeem(issued[2]!)).toBe(alice);
    expect(await store.redeem(issued[4]!)).toBe(alice);
    // Another user's tickets are not touched by alice's.
    expect(await store.redeem(bobs.ticket)).toMatchObject({ userId: 'bob' });
    expect(store.size).toBe(1);
  });

  it('holds 20 per user by default', async () => {
    const store = createInMemoryTicketStore();
    for (let i = 0; i < 50; i += 1) await store.issue(token(300_000, Date.now()));
    expect(store.size).toBe(20);
  });

  it('sweeps expired tickets on a timer, without any further issue, and then stops the timer', async () => {
    vi.useFakeTimers();
    let now = 1_000_000;
    const store = createInMemoryTicketStore({ now: () => now, sweepIntervalMs: 1000 });
    for (let i = 0; i < 10; i += 1) await store.issue(token(300_000, now, `user${i}`), 5_000);
    const lasting = await store.issue(token(300_000, now, 'carol'), 60_000);
    expect(store.size).toBe(11);
    expect(vi.getTimerCount()).toBe(1);
    now += 5_000;
    vi.advanceTimersByTime(1000);
    expect(store.size).toBe(1);
    now += 55_000;
    vi.advanceTimersByTime(1000);
    expect(store.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(await store.redeem(lasting.ticket)).toBeUndefined();
  });

  it('refuses options that cannot work', () => {
    expect(() => createInMemoryTicketStore({ maxPerUser: 0 })).toThrow('maxPerUser');
    expect(() => createInMemoryTicketStore({ sweepIntervalMs: Number.NaN })).toThrow(
      'sweepIntervalMs',
    );
  });
});
