import type { TicketStore, WebSocketHub } from '@app/ws-core';
import { createLogger, type Logger } from '@app/logging-ssot';
import { LIMITS } from '@app/ws-protocol';
import type { Registry } from 'prom-client';
import { createAttemptLimiter, type AttemptLimiter } from './attempt-limiter.js';
import { RoutesConfigError } from './errors.js';
import { normaliseAllowedOrigins } from './origin-policy.js';
import { createInMemoryTicketStore } from './ticket-store.js';
import type { TokenVerifier, VerifiedToken } from './token-verifier.js';

/** Options of `attachWebSocketRoutes`. Only `hub` and `auth` are required. */
export interface WebSocketRoutesOptions {
  /** The hub whose managers the connections join. */
  hub: WebSocketHub;
  /** Verifies JWTs (from `createTokenVerifier`). */
  auth: TokenVerifier;
  /** Single-use tickets for `?ticket=`. Default: `createInMemoryTicketStore()`. */
  tickets?: TicketStore<VerifiedToken>;
  /** Origins browsers may connect from. Default (unset): same-origin, and requests without Origin. */
  allowedOrigins?: string[];
  /**
   * How many proxies in front of the server append to `X-Forwarded-For`: the client address for
   * attempt limits is the N-th entry from the right (docs/security.md#proxies). `true` is 1,
   * `false` is 0. Default 0: the socket's peer address.
   */
  trustProxy?: boolean | number;
  /** WebSocket ping interval, echoed in `welcome.heartbeatMs`; a missed pong closes 4408. Default 25000. */
  heartbeatMs?: number;
  /** Upgrade attempts per client address per minute. Default 600. */
  connectAttemptsPerMinute?: number;
  /** Counts upgrade attempts per address. Default: in memory, `connectAttemptsPerMinute`. */
  attemptLimiter?: AttemptLimiter;
  /** Largest inbound frame; a larger one closes with 1009. Default 65536. */
  maxPayloadBytes?: number;
  /** Readiness; false answers upgrades with 503. Default: always ready. */
  isReady?: () => boolean;
  /** Sustained rate-limit excess: more than `maxRejectedPerWindow` (20) refused frames within `windowMs` (10000) closes 4429. */
  abuse?: { maxRejectedPerWindow?: number; windowMs?: number };
  /** This many invalid frames within `invalidFrameWindowMs` close the connection with 1008. Default 10. */
  invalidFramesBeforeClose?: number;
  /** The window of `invalidFramesBeforeClose`. Default 60000. */
  invalidFrameWindowMs?: number;
  /** How long a closing socket may take to finish the closing handshake before it is terminated. Default 5000. */
  closeTimeoutMs?: number;
  /** Registry for `chat_ws_closes_total`, `chat_ws_refusals_total`, `chat_ws_rate_limited_total`. */
  metricsRegistry?: Registry;
  /** Default: `createLogger('ws-routes')`. */
  logger?: Logger;
}

/** The options with every default filled in. */
export interface ResolvedRoutesOptions {
  readonly hub: WebSocketHub;
  readonly auth: TokenVerifier;
  readonly tickets: TicketStore<VerifiedToken>;
  readonly allowedOrigins: readonly string[] | undefined;
  /** Trusted proxy hops (0: none). */
  readonly trustProxy: number;
  readonly heartbeatMs: number;
  readonly attemptLimiter: AttemptLimiter;
  readonly maxPayloadBytes: number;
  readonly isReady: () => boolean;
  readonly abuse: { readonly maxRejectedPerWindow: number; readonly windowMs: number };
  readonly invalidFrames: { readonly limit: number; readonly windowMs: number };
  readonly closeTimeoutMs: number;
  readonly metricsRegistry: Registry | undefined;
  readonly logger: Logger;
}

/** Fills in defaults and refuses values that cannot work (`RoutesConfigError`). */
export function resolveRoutesOptions(options: WebSocketRoutesOptions): ResolvedRoutesOptions {
  if (options.hub === undefined) throw new RoutesConfigError('`hub` is required');
  if (options.auth === undefined) throw new RoutesConfigError('`auth` is required');
  let allowedOrigins: string[] | undefined;
  try {
    allowedOrigins =
      options.allowedOrigins === undefined
        ? undefined
        : normaliseAllowedOrigins(options.allowedOrigins);
  } catch (error) {
    throw new RoutesConfigError(`allowedOrigins: ${(error as Error).message}`);
  }
  return {
    hub: options.hub,
    auth: options.auth,
    tickets: options.tickets ?? createInMemoryTicketStore(),
    allowedOrigins,
    trustProxy: proxyHops(options.trustProxy),
    heartbeatMs: positive('heartbeatMs', options.heartbeatMs, 25_000),
    attemptLimiter:
      options.attemptLimiter ??
      createAttemptLimiter({
        perMinute: positive('connectAttemptsPerMinute', options.connectAttemptsPerMinute, 600),
      }),
    maxPayloadBytes: positive('maxPayloadBytes', options.maxPayloadBytes, LIMITS.maxInboundBytes),
    isReady: options.isReady ?? (() => true),
    abuse: {
      maxRejectedPerWindow: positive(
        'abuse.maxRejectedPerWindow',
        options.abuse?.maxRejectedPerWindow,
        20,
      ),
      windowMs: positive('abuse.windowMs', options.abuse?.windowMs, 10_000),
    },
    invalidFrames: {
      limit: positive('invalidFramesBeforeClose', options.invalidFramesBeforeClose, 10),
      windowMs: positive('invalidFrameWindowMs', options.invalidFrameWindowMs, 60_000),
    },
    closeTimeoutMs: positive('closeTimeoutMs', options.closeTimeoutMs, 5_000),
    metricsRegistry: options.metricsRegistry,
    logger: options.logger ?? createLogger('ws-routes'),
  };
}

function proxyHops(value: boolean | number | undefined): number {
  if (value === undefined || value === false) return 0;
  if (value === true) return 1;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RoutesConfigError(
      `trustProxy must be a boolean or a whole number of hops, got ${String(value)}`,
    );
  }
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RoutesConfigError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}
