import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The answer of an {@link AttemptLimiter}: go on, or wait `retryAfterMs`. */
export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts attempts per key: connection attempts per client address
 * (docs/protocol.md#refused-upgrades, the first 429), and in the chat server ticket issues per
 * user (docs/security.md#tickets). Replaceable: several
 * nodes share a limiter built on rate-limiter-flexible's Redis store. `consume` rejects only when
 * the store itself fails; the endpoint then answers 503.
 */
export interface AttemptLimiter {
  consume(address: string): Promise<AttemptDecision>;
}

/** Options of {@link createAttemptLimiter}. */
export interface AttemptLimiterOptions {
  /** Attempts allowed per address per minute. Default 600. */
  perMinute?: number;
  /** Names what is counted, for the store's keys. Default `ws-connect`. */
  keyPrefix?: string;
  /**
   * The rate-limiter-flexible limiter to count with (e.g. a `RateLimiterRedis` shared by every
   * node); when given, `perMinute` is its business. Default: a `RateLimiterMemory` of `perMinute`
   * points per 60 s.
   */
  limiter?: RateLimiterAbstract;
}

/** Makes the default {@link AttemptLimiter} on rate-limiter-flexible. */
export function createAttemptLimiter(options: AttemptLimiterOptions = {}): AttemptLimiter {
  const limiter =
    options.limiter ??
    new RateLimiterMemory({
      keyPrefix: options.keyPrefix ?? 'ws-connect',
      points: options.perMinute ?? 600,
      duration: 60,
    });
  return {
    async consume(address) {
      try {
        await limiter.consume(address);
        return { allowed: true };
      } catch (rejection) {
        // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, and with an
        // Error when its store fails; only the first is a refusal.
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
        }
        throw rejection;
      }
    },
  };
}
