import type { RateLimiterStore, RateLimiterStoreFactory } from '@app/ws-core';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { ClusterClient } from './cluster-client';
import type { RedisClientLike } from './redis-client';

/** Options of {@link createRedisRateLimiterStore}. */
export interface RedisRateLimiterStoreOptions {
  /** Prepended to the limiter's own key prefix (`ws_user_rate`). Default `ws:`. */
  keyPrefix?: string;
}

/**
 * A store factory for ws-core's per-user rate limiter (`HubOptions.rateLimit.store`) over
 * rate-limiter-flexible's `RateLimiterRedis` (`useRedisPackage: true`), so every node shares each
 * user's bucket (docs/scaling.md#rule-5-limits-across-nodes).
 *
 * `RateLimiterRedis.set` rounds its duration down to whole seconds and stores a key for ever when
 * that gives 0; the bucket's state usually lives under a second, so durations are rounded up to
 * at least one second here — every key expires, and a bucket state kept a little longer is
 * harmless (a state in the past counts as none). With `rejectIfRedisNotReady`, calls fail at once
 * while Redis is down, and the limiter lets messages through (logged once per outage).
 * @param client a node-redis v5 client (the engine's, or any other).
 */
export function createRedisRateLimiterStore(
  client: RedisClientLike,
  options: RedisRateLimiterStoreOptions = {},
): RateLimiterStoreFactory {
  const prefix = options.keyPrefix ?? 'ws:';
  return (bucket): RateLimiterStore => {
    const limiter = new RateLimiterRedis({
      // A cluster: rate-limiter-flexible routes by key through node-redis' cluster client.
      storeClient: client instanceof ClusterClient ? client.cluster : client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      keyPrefix: `${prefix}${bucket.keyPrefix}`,
      points: bucket.points,
      duration: Math.max(1, Math.ceil(bucket.duration)),
    });
    return {
      get: (key) => limiter.get(key),
      set: (key, points, secDuration) =>
        limiter.set(key, points, Math.max(1, Math.ceil(secDuration))),
    };
  };
}
