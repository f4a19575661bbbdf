import type { Logger } from '@app/logging-ssot';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * The part of a rate-limiter-flexible limiter the user rate limiter uses as its store: any of
 * its limiters fits (`RateLimiterMemory`, `RateLimiterRedis`, …).
 */
export interface RateLimiterStore {
  get(key: string): Promise<{ readonly consumedPoints: number } | null>;
  set(key: string, points: number, secDuration: number): Promise<unknown>;
}

/**
 * Makes the store. `points` (= burst) and `duration` (= burst / perSecond seconds) describe the
 * bucket, for stores that want them; `keyPrefix` separates this limiter's keys.
 * Example for Redis: `(o) => new RateLimiterRedis({ storeClient: redis, ...o })`.
 */
export type RateLimiterStoreFactory = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterStore;

/** Options of {@link UserRateLimiter}. */
export interface UserRateLimiterOptions {
  /** Sustained messages per second. Default 20. */
  perSecond?: number;
  /** Messages accepted at once after a pause. Default 40. */
  burst?: number;
  /** Store of the bucket state. Default: `RateLimiterMemory`. */
  store?: RateLimiterStoreFactory;
  /** Key prefix in the store. Default `ws_user_rate`. */
  keyPrefix?: string;
  /** Where a failing store is reported (once per outage). */
  logger?: Logger;
}

/** The answer of {@link UserRateLimiter.consume}. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const ALLOWED: RateLimitDecision = Object.freeze({ allowed: true });

/**
 * Per-user inbound message limit: an exact token bucket of `burst` tokens refilled at
 * `perSecond`, implemented as GCRA (generic cell rate algorithm). The only state per user is
 * the bucket's "theoretical arrival time" (TAT), kept in a rate-limiter-flexible store (so a
 * Redis store shares it across nodes). A message is accepted when
 * `max(TAT, now) + 1/rate − now ≤ burst/rate`, and then TAT advances by `1/rate`:
 * after a pause exactly `burst` messages pass at once, and under constant pressure exactly
 * `perSecond` per second pass — never more than `burst + perSecond × t` in any interval `t`.
 * A fixed window (`points = burst`, `duration = burst/rate`) would let `2 × burst` through
 * around a window boundary; hence the bucket. Calls for one user are serialized locally; a
 * store failure lets messages through (logged once per outage).
 */
export class UserRateLimiter {
  readonly perSecond: number;
  readonly burst: number;
  readonly #intervalMs: number;
  readonly #store: RateLimiterStore;
  readonly #chains = new Map<string, Promise<RateLimitDecision>>();
  readonly #logger: Logger | undefined;
  #storeFailing = false;

  constructor(options: UserRateLimiterOptions = {}) {
    this.perSecond = options.perSecond ?? 20;
    this.burst = options.burst ?? 40;
    if (!(this.perSecond > 0) || !(this.burst >= 1)) {
      throw new RangeError('perSecond must be > 0 and burst >= 1');
    }
    this.#intervalMs = 1000 / this.perSecond;
    const storeOptions = {
      keyPrefix: options.keyPrefix ?? 'ws_user_rate',
      points: this.burst,
      duration: this.burst / this.perSecond,
    };
    this.#store = (options.store ?? ((o) => new RateLimiterMemory(o)))(storeOptions);
    this.#logger = options.logger;
  }

  /** Takes one token for `userId`: `{allowed: true}` or `{allowed: false, retryAfterMs}`. */
  consume(userId: string): Promise<RateLimitDecision> {
    const previous = this.#chains.get(userId);
    const next =
      previous === undefined ? this.#consume(userId) : previous.then(() => this.#consume(userId));
    this.#chains.set(userId, next);
    void next.then(() => {
      if (this.#chains.get(userId) === next) this.#chains.delete(userId);
    });
    return next;
  }

  async #consume(userId: string): Promise<RateLimitDecision> {
    try {
      const state = await this.#store.get(userId);
      const now = Date.now();
      const tat = Math.max(state?.consumedPoints ?? 0, now) + this.#intervalMs;
      const excess = tat - now - this.burst * this.#intervalMs;
      if (excess > 1e-9) return { allowed: false, retryAfterMs: Math.ceil(excess) };
      await this.#store.set(userId, Math.ceil(tat), Math.max(0.001, Math.ceil(tat - now) / 1000));
      this.#recovered();
      return ALLOWED;
    } catch (error) {
      if (!this.#storeFailing) {
        this.#storeFailing = true;
        this.#logger?.warn('Rate limiter store failed; letting messages through', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return ALLOWED;
    }
  }

  #recovered(): void {
    if (this.#storeFailing) {
      this.#storeFailing = false;
      this.#logger?.info('Rate limiter store recovered');
    }
  }
}
