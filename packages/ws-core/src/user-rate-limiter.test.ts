import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserRateLimiter, type RateLimiterStore } from './user-rate-limiter';

afterEach(() => {
  vi.useRealTimers();
});

async function allowedOf(limiter: UserRateLimiter, userId: string, n: number): Promise<number> {
  const decisions = await Promise.all(Array.from({ length: n }, () => limiter.consume(userId)));
  return decisions.filter((d) => d.allowed).length;
}

describe('UserRateLimiter (token bucket, 20/s burst 40 by default)', () => {
  it('accepts a burst of 40 after a pause, then refuses with retryAfterMs', async () => {
    vi.useFakeTimers();
    const limiter = new UserRateLimiter();
    expect(await allowedOf(limiter, 'alice', 40)).toBe(40);
    expect(await limiter.consume('alice')).toEqual({ allowed: false, retryAfterMs: 50 });
    expect(await allowedOf(limiter, 'bob', 40)).toBe(40);
  });

  it('refills at 20 per second: after a full burst, 20 more pass one second later', async () => {
    vi.useFakeTimers();
    const limiter = new UserRateLimiter();
    expect(await allowedOf(limiter, 'alice', 60)).toBe(40);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await allowedOf(limiter, 'alice', 60)).toBe(20);
    await vi.advanceTimersByTimeAsync(50);
    expect(await allowedOf(limiter, 'alice', 5)).toBe(1);
  });

  it('sustains exactly 20/s under constant pressure (never 2× burst at a window edge)', async () => {
    vi.useFakeTimers();
    const limiter = new UserRateLimiter();
    let allowed = 0;
    let bestTwoSecondWindow = 0;
    const perTick: number[] = [];
    for (let tick = 0; tick < 200; tick++) {
      const n = await allowedOf(limiter, 'alice', 10); // 10 every 50 ms = 200/s offered
      perTick.push(n);
      allowed += n;
      await vi.advanceTimersByTimeAsync(50);
    }
    for (let i = 0; i + 40 <= perTick.length; i++) {
      bestTwoSecondWindow = Math.max(
        bestTwoSecondWindow,
        perTick.slice(i, i + 40).reduce((a, b) => a + b, 0),
      );
    }
    // 10 s: the initial 40, then 20/s.
    expect(allowed).toBe(40 + 199);
    // Any 2 s: at most burst + 2 s × rate (a fixed window would allow 80 at its edge, then more).
    expect(bestTwoSecondWindow).toBeLessThanOrEqual(40 + 40);
    expect(perTick.slice(40).every((n) => n === 1)).toBe(true);
  });

  it('honours custom rates and a pluggable store', async () => {
    vi.useFakeTimers();
    const data = new Map<string, number>();
    const created: unknown[] = [];
    const store: RateLimiterStore = {
      get: async (key) => (data.has(key) ? { consumedPoints: data.get(key)! } : null),
      set: async (key, points) => {
        data.set(key, points);
      },
    };
    const limiter = new UserRateLimiter({
      perSecond: 2,
      burst: 3,
      store: (options) => {
        created.push(options);
        return store;
      },
    });
    expect(created).toEqual([{ keyPrefix: 'ws_user_rate', points: 3, duration: 1.5 }]);
    expect(await allowedOf(limiter, 'alice', 5)).toBe(3);
    const refused = await limiter.consume('alice');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 500 });
    await vi.advanceTimersByTimeAsync(500);
    expect(await allowedOf(limiter, 'alice', 5)).toBe(1);
    expect(data.has('alice')).toBe(true);
  });

  it('lets messages through when the store fails', async () => {
    const limiter = new UserRateLimiter({
      store: () => ({ get: () => Promise.reject(new Error('down')), set: () => Promise.resolve() }),
    });
    expect(await limiter.consume('alice')).toEqual({ allowed: true });
  });

  it('rejects nonsense options', () => {
    expect(() => new UserRateLimiter({ perSecond: 0 })).toThrow(RangeError);
  });
});
