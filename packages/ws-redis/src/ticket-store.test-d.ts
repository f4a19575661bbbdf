import type { TicketStore } from '@app/ws-core';
import { describe, expectTypeOf, it } from 'vitest';
import { createRedisTicketStore } from './ticket-store';

/** A route's verified token: more than the store needs. */
interface VerifiedToken {
  readonly userId: string;
  readonly expiresAt: Date;
  readonly claims: { sub: string; exp: number; scope: string[] };
}

describe('createRedisTicketStore', () => {
  it('is the TicketStore of @app/ws-core for the token type it is given', () => {
    expectTypeOf(createRedisTicketStore<VerifiedToken>).returns.toEqualTypeOf<
      TicketStore<VerifiedToken>
    >();
  });
});
