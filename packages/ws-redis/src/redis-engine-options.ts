import type { Logger } from '@app/logging-ssot';
import type { RetentionSettings } from '@app/ws-core';
import type { AppendBufferSettings } from './append-queue';
import { RedisConfigError } from './errors';
import type { PubSubMode } from './pubsub-mode';
import type { RedisClientLike } from './redis-client';
import type { ReconnectSettings } from './redis-connections';

/** Options of `createRedisEngine`. Exactly one of `url` and `client` is required. */
export interface RedisEngineOptions {
  /** `redis://…` or `rediss://…`: the engine opens (and closes) its own two connections. */
  url?: string;
  /**
   * `url` is the seed node of a Redis Cluster (7+): the engine uses node-redis' cluster client,
   * sharded pub/sub and shard-aware batches (docs/scaling.md#rule-8-redis-cluster). Default false.
   */
  cluster?: boolean;
  /**
   * A node-redis v5 client to carry the commands (connected here if it is not open yet, never
   * closed here); a duplicate of it carries the subscriptions.
   */
  client?: RedisClientLike;
  /** Prefix of every key and channel. Default `ws:`. Nodes of one deployment share it. */
  keyPrefix?: string;
  /** This node's id: written as the owner of its runs and of the leases its reaper takes. */
  serverId: string;
  /**
   * Retention per user stream: `maxEvents` 1000, `maxAgeMs` 300000, `maxBytes` 1 MiB (runs in
   * flight are kept whole). Same on every node.
   */
  retention?: { maxEvents?: number; maxAgeMs?: number; maxBytes?: number };
  /** How often this node looks for runs whose lease expired, in ms. Default 1000. */
  reaperIntervalMs?: number;
  /** TTL of the lease the reaper takes over to write a lost run's terminal event. Default 5000. */
  takeoverTtlMs?: number;
  /**
   * How often each subscribed user's stream is checked (kept alive while listened to, and
   * checked for loss, which starts a new epoch). Default `maxAgeMs / 4`, at most 10000.
   */
  streamCheckIntervalMs?: number;
  /** Appends waiting while Redis is unreachable: at most `maxEvents` 10000, `maxBytes` 16 MiB. */
  outageBuffer?: { maxEvents?: number; maxBytes?: number };
  /** Reconnect backoff of the connections made from `url`: 100 ms doubling up to 2000 ms. */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** `auto` (default): sharded pub/sub when the server has it (Redis 7+), classic otherwise. */
  pubsub?: 'auto' | PubSubMode;
  /** `retryAfterMs` of the `EngineUnavailableError`s the engine throws. Default 2000. */
  retryAfterMs?: number;
  /** Default `createLogger('ws-redis')`. */
  logger?: Logger;
}

/** The options with every default filled in. */
export interface ResolvedRedisEngineOptions {
  readonly source: { url: string; cluster: boolean } | { client: RedisClientLike };
  readonly keyPrefix: string;
  readonly serverId: string;
  readonly retention: RetentionSettings;
  readonly reaperIntervalMs: number;
  readonly takeoverTtlMs: number;
  readonly streamCheckIntervalMs: number;
  readonly outageBuffer: AppendBufferSettings;
  readonly reconnect: ReconnectSettings;
  readonly pubsub: 'auto' | PubSubMode;
  readonly retryAfterMs: number;
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RedisConfigError(`${name} must be a positive number, got ${String(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new RedisConfigError(`${name} must be an integer, got ${value}`);
  }
  return value;
}

/** Validates the options and fills in the defaults. @throws RedisConfigError */
export function resolveRedisEngineOptions(options: RedisEngineOptions): ResolvedRedisEngineOptions {
  if (typeof options !== 'object' || options === null) {
    throw new RedisConfigError('createRedisEngine needs an options object');
  }
  const { url, client } = options;
  if ((url === undefined) === (client === undefined)) {
    throw new RedisConfigError('Give exactly one of `url` and `client`');
  }
  if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) {
    throw new RedisConfigError('`url` must start with redis:// or rediss://');
  }
  if (typeof options.serverId !== 'string' || options.serverId.length === 0) {
    throw new RedisConfigError('`serverId` must be a non-empty string');
  }
  const keyPrefix = options.keyPrefix ?? 'ws:';
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) {
    throw new RedisConfigError('`keyPrefix` must be a string without { or }');
  }
  const retention: RetentionSettings = Object.freeze({
    maxEvents: positive('retention.maxEvents', options.retention?.maxEvents, 1000, true),
    maxAgeMs: Math.ceil(positive('retention.maxAgeMs', options.retention?.maxAgeMs, 300_000)),
    maxBytes: positive('retention.maxBytes', options.retention?.maxBytes, 1 << 20, true),
  });
  const minDelayMs = positive('reconnect.minDelayMs', options.reconnect?.minDelayMs, 100);
  if (options.cluster !== undefined && typeof options.cluster !== 'boolean') {
    throw new RedisConfigError('`cluster` must be true or false');
  }
  if (options.cluster === true && url === undefined) {
    throw new RedisConfigError('`cluster` needs `url` (the seed node), not `client`');
  }
  const pubsub = options.pubsub ?? (options.cluster === true ? 'sharded' : 'auto');
  if (pubsub !== 'auto' && pubsub !== 'sharded' && pubsub !== 'classic') {
    throw new RedisConfigError('`pubsub` must be auto, sharded or classic');
  }
  return Object.freeze({
    source:
      url !== undefined
        ? { url, cluster: options.cluster === true }
        : { client: client as RedisClientLike },
    keyPrefix,
    serverId: options.serverId,
    retention,
    reaperIntervalMs: positive('reaperIntervalMs', options.reaperIntervalMs, 1000),
    takeoverTtlMs: positive('takeoverTtlMs', options.takeoverTtlMs, 5000),
    streamCheckIntervalMs: positive(
      'streamCheckIntervalMs',
      options.streamCheckIntervalMs,
      Math.min(10_000, retention.maxAgeMs / 4),
    ),
    outageBuffer: Object.freeze({
      maxEvents: positive('outageBuffer.maxEvents', options.outageBuffer?.maxEvents, 10_000, true),
      maxBytes: positive('outageBuffer.maxBytes', options.outageBuffer?.maxBytes, 16 << 20),
    }),
    reconnect: Object.freeze({
      minDelayMs,
      maxDelayMs: Math.max(
        minDelayMs,
        positive('reconnect.maxDelayMs', options.reconnect?.maxDelayMs, 2000),
      ),
    }),
    pubsub,
    retryAfterMs: positive('retryAfterMs', options.retryAfterMs, 2000),
  });
}
