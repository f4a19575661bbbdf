import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { createAttemptLimiter } from './attempt-limiter.js';

describe('createAttemptLimiter', () => {
  it('allows perMinute attempts per address, then refuses with a retry delay', async () => {
    const limiter = createAttemptLimiter({ perMinute: 2 });
    expect(await limiter.consume('1.2.3.4')).toEqual({ allowed: true });
    expect(await limiter.consume('1.2.3.4')).toEqual({ allowed: true });
    const refused = await limiter.consume('1.2.3.4');
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterMs).toBeGreaterThan(0);
    expect(await limiter.consume('5.6.7.8')).toEqual({ allowed: true });
  });

  it('counts with a given rate-limiter-flexible limiter', async () => {
    const limiter = createAttemptLimiter({
      limiter: new RateLimiterMemory({ points: 1, duration: 60 }),
    });
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(false);
  });
});
