import { UserRateLimiter } from '@app/ws-core';
import { describe, expect, it } from 'vitest';
import { useRedisTestSuite } from '../test-support/redis-test-suite';
import { createRedisRateLimiterStore } from './rate-limiter-store';

const { prefix, client } = useRedisTestSuite();

describe('createRedisRateLimiterStore', () => {
  it('shares each user’s bucket between nodes', async () => {
    const options = { perSecond: 0.1, burst: 4 }; // a 10 s refill: no token comes back during the test
    const nodeA = new UserRateLimiter({
      ...options,
      store: createRedisRateLimiterStore(await client(), { keyPrefix: prefix }),
    });
    const nodeB = new UserRateLimiter({
      ...options,
      store: createRedisRateLimiterStore(await client(), { keyPrefix: prefix }),
    });
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await (i % 2 ? nodeA : nodeB).consume('alice'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false, false]);
    expect((await nodeA.consume('bob')).allowed).toBe(true);
  });

  it('gives every key an expiry, even for a bucket state shorter than a second', async () => {
    const c = await client();
    const limiter = new UserRateLimiter({
      perSecond: 100,
      burst: 2,
      store: createRedisRateLimiterStore(c, { keyPrefix: prefix }),
    });
    await limiter.consume('carol');
    const keys = [];
    for await (const batch of c.scanIterator({ MATCH: `${prefix}*carol*` })) keys.push(...batch);
    expect(keys).toHaveLength(1);
    const ttl = await c.pTTL(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
  });
});
