/**
 * Multi-node mode (`REDIS_URL` set): the pieces a node shares with the others through Redis
 * (`@app/ws-redis`, docs/scaling.md). One Redis connection for commands carries the engine, the
 * tickets and the rate-limit buckets; the engine opens a second one for subscriptions.
 *
 * The per-address connect-attempt limiter of `@app/ws-routes` stays per node: a client spread
 * over N nodes by the balancer gets up to N × `WS_CONNECT_ATTEMPTS_PER_MINUTE`.
 */
import { createLogger } from '@app/logging-ssot';
import type { RateLimiterStoreFactory, TicketStore } from '@app/ws-core';
import {
  createRedisEngine,
  createRedisRateLimiterStore,
  createRedisTicketStore,
  type RedisStreamEngine,
} from '@app/ws-redis';
import type { VerifiedToken } from '@app/ws-routes';
import type { ChatServerConfig } from './config.js';
import { redisReadinessCheck, type ReadinessCheck } from './health.js';

/**
 * TTL of run leases and connection slots in multi-node mode (the hub's `leaseTtlMs`): a killed
 * node's runs end with `node_lost` about this long after it stopped, plus one reaper tick.
 */
export const REDIS_LEASE_TTL_MS = 5000;

/** How often each node looks for runs whose owner stopped renewing their lease. */
const REDIS_REAPER_INTERVAL_MS = 1000;

/** What the server wires in multi-node mode. */
export interface RedisMode {
  /** The hub's stream engine; not closed by the hub: {@link RedisMode.close} after `hub.close()`. */
  readonly engine: RedisStreamEngine;
  /** The hub's `leaseTtlMs`. */
  readonly leaseTtlMs: number;
  /** The hub's `rateLimit.store`: every node shares each user's bucket. */
  readonly rateLimiterStore: RateLimiterStoreFactory;
  /** Single-use tickets redeemable on any node. */
  readonly tickets: TicketStore<VerifiedToken>;
  /** `redis` in `/health/ready`: failing while either Redis connection is down. */
  readonly readinessCheck: ReadinessCheck;
  /** Whether new upgrades may be accepted (Redis reachable); synchronous, for `isReady`. */
  healthy(): boolean;
  /** Closes the engine and its connections. Call after the hub is closed. */
  close(): Promise<void>;
}

/** The part of the configuration multi-node mode reads. */
export type RedisModeConfig = Pick<ChatServerConfig, 'redisKeyPrefix' | 'serverId' | 'ws'> & {
  redisUrl: string;
  /** `REDIS_CLUSTER=1`: `redisUrl` is the seed node of a Redis Cluster. */
  redisCluster?: boolean;
};

/**
 * Builds the Redis engine, ticket store and rate-limiter store from the configuration. Returns at
 * once: the engine connects in the background, and a Redis that is down at start is retried like
 * any outage (readiness stays 503 meanwhile). The engine logs one line per change of state
 * (unreachable / reachable again) and reconnects for as long as it takes.
 */
export function createRedisMode(config: RedisModeConfig): RedisMode {
  const engine = createRedisEngine({
    url: config.redisUrl,
    cluster: config.redisCluster === true,
    keyPrefix: config.redisKeyPrefix,
    serverId: config.serverId,
    retention: {
      maxEvents: config.ws.resumeMaxEvents,
      maxAgeMs: config.ws.resumeMaxAgeMs,
      maxBytes: config.ws.resumeMaxBytes,
    },
    reaperIntervalMs: REDIS_REAPER_INTERVAL_MS,
    logger: createLogger('redis'),
  });
  let closing: Promise<void> | undefined;
  return {
    engine,
    leaseTtlMs: REDIS_LEASE_TTL_MS,
    rateLimiterStore: createRedisRateLimiterStore(engine.commandClient, {
      keyPrefix: config.redisKeyPrefix,
    }),
    tickets: createRedisTicketStore<VerifiedToken>(engine.commandClient, config.redisKeyPrefix),
    readinessCheck: redisReadinessCheck(engine),
    healthy: () => engine.healthy,
    close() {
      closing ??= engine.close();
      return closing;
    },
  };
}
