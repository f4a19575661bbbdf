import { hostname } from 'node:os';
import type { Logger } from '@app/logging-ssot';
import { LIMITS } from '@app/ws-protocol';
import type { Registry } from 'prom-client';
import type { Agent } from './agent';
import type { RunHooks } from './run-hooks';
import { positive, positiveInteger } from './positive-number';
import type { RetentionSettings, StreamEngine } from './stream-engine';
import type { RateLimiterStoreFactory } from './user-rate-limiter';

/** Options of `createWebSocketHub`. Every field is optional; defaults are listed. */
export interface HubOptions {
  /** Names this node in `welcome.serverId`, logs and run leases. Default `${hostname}-${pid}`. */
  serverId?: string;
  /** Where streams live. Default: a new in-memory engine with `retention` (closed with the hub). */
  engine?: StreamEngine;
  /** Agents to register. The first is the default for `chat` without `agent`. */
  agents?: Agent[];
  /** Agent used by `chat` when the message names none. Default: the first registered agent. */
  defaultAgent?: string;
  /** When given, the hub's metrics are registered there (names in the README). */
  metricsRegistry?: Registry;
  /** Logger of the hub. Default `createLogger('ws-core')`. */
  logger?: Logger;
  /**
   * Retention of the default in-memory engine: `maxEvents` 1000, `maxAgeMs` 300000, `maxBytes`
   * 1 MiB (events of runs in flight are kept until the run ends). With a
   * custom `engine`, the engine's own retention applies (and is what `welcome` announces).
   */
  retention?: { maxEvents?: number; maxAgeMs?: number; maxBytes?: number };
  /** Per-user limits. */
  limits?: {
    /** Open connections per user, across nodes. Default 10. */
    maxConnectionsPerUser?: number;
    /** Concurrent runs per user on this node. Default 3. */
    maxRunsPerUser?: number;
    /** Buffered outbound bytes before a connection is closed with 4000. Default 1 MiB. */
    outboundLimitBytes?: number;
    /** Largest event JSON, in bytes. Default 65536 (protocol `LIMITS.maxEventBytes`). */
    maxEventBytes?: number;
    /**
     * Events of one run, from its `agent_started` to its terminal event included. Past it the
     * run ends with `run_too_large` (docs/protocol.md#8-joining-mid-run). Default 20000.
     */
    maxRunEvents?: number;
    /** UTF-8 bytes of one run's event JSON (its terminal event aside). Default 8388608 (8 MiB). */
    maxRunBytes?: number;
  };
  /** Inbound message rate per user (token bucket, see `UserRateLimiter`). */
  rateLimit?: {
    /** Sustained messages per second. Default 20. */
    perSecond?: number;
    /** Messages accepted at once after a pause. Default 40. */
    burst?: number;
    /** Store of the bucket state. Default: rate-limiter-flexible's `RateLimiterMemory`. */
    store?: RateLimiterStoreFactory;
  };
  /** Silence of a run, in ms, before it ends with `timeout`. Default 30000. */
  stallTimeoutMs?: number;
  /** A manager without connections and runs is evicted after this many ms. Default 60000. */
  idleTtlMs?: number;
  /** How long a `chat` id is remembered for idempotency, in ms. Default 300000. */
  chatIdempotencyMs?: number;
  /** Persistence hooks of runs. */
  hooks?: RunHooks;
  /** Bound of each hook call, in ms. Default 2000. */
  hookTimeoutMs?: number;
  /** TTL of run leases and connection slots in the engine, renewed every third. Default 15000. */
  leaseTtlMs?: number;
}

/** The hub's options with every default filled in. */
export interface ResolvedHubSettings {
  readonly serverId: string;
  readonly defaultAgent: string | undefined;
  readonly retention: RetentionSettings;
  readonly limits: {
    readonly maxConnectionsPerUser: number;
    readonly maxRunsPerUser: number;
    readonly outboundLimitBytes: number;
    readonly maxEventBytes: number;
    readonly maxRunEvents: number;
    readonly maxRunBytes: number;
  };
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  readonly stallTimeoutMs: number;
  readonly idleTtlMs: number;
  readonly chatIdempotencyMs: number;
  readonly hookTimeoutMs: number;
  readonly leaseTtlMs: number;
}

/** Fills in defaults and validates the numbers. @internal */
export function resolveHubSettings(
  options: HubOptions,
  retention: RetentionSettings,
): ResolvedHubSettings {
  const limits = options.limits ?? {};
  return Object.freeze({
    serverId: options.serverId ?? `${hostname()}-${process.pid}`,
    defaultAgent: options.defaultAgent,
    retention,
    limits: Object.freeze({
      maxConnectionsPerUser: positiveInteger(
        'limits.maxConnectionsPerUser',
        limits.maxConnectionsPerUser,
        10,
      ),
      maxRunsPerUser: positiveInteger('limits.maxRunsPerUser', limits.maxRunsPerUser, 3),
      outboundLimitBytes: positive('limits.outboundLimitBytes', limits.outboundLimitBytes, 1 << 20),
      maxEventBytes: positiveInteger(
        'limits.maxEventBytes',
        limits.maxEventBytes,
        LIMITS.maxEventBytes,
      ),
      maxRunEvents: positiveInteger(
        'limits.maxRunEvents',
        limits.maxRunEvents,
        LIMITS.maxRunEvents,
      ),
      maxRunBytes: positiveInteger('limits.maxRunBytes', limits.maxRunBytes, LIMITS.maxRunBytes),
    }),
    rateLimit: Object.freeze({
      perSecond: positive('rateLimit.perSecond', options.rateLimit?.perSecond, 20),
      burst: positiveInteger('rateLimit.burst', options.rateLimit?.burst, 40),
    }),
    stallTimeoutMs: positive('stallTimeoutMs', options.stallTimeoutMs, 30_000),
    idleTtlMs: positive('idleTtlMs', options.idleTtlMs, 60_000),
    chatIdempotencyMs: positive('chatIdempotencyMs', options.chatIdempotencyMs, 300_000),
    hookTimeoutMs: positive('hookTimeoutMs', options.hookTimeoutMs, 2000),
    leaseTtlMs: positive('leaseTtlMs', options.leaseTtlMs, 15_000),
  });
}
