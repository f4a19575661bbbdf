import { describe, expect, it } from 'vitest';
import { createInMemoryTicketStore } from './ticket-store.js';
import type { VerifiedToken } from './token-verifier.js';

const token = (expiresInMs: number, now = 1_000_000): VerifiedToken => ({
  userId: 'alice',
  expiresAt: new Date(now + expiresInMs),
  claims: { sub: 'alice' },
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
});
