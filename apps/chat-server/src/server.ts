import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@app/logging-ssot';
import { createAgUiEndpoint } from '@app/ws-ag-ui';
import { createWebSocketHub, type WebSocketHub } from '@app/ws-core';
import {
  attachWebSocketRoutes,
  createAttemptLimiter,
  createInMemoryTicketStore,
  createTokenVerifier,
  type TokenVerifierOptions,
} from '@app/ws-routes';
import { getRequestListener } from '@hono/node-server';
import { createAgentCatalog, type AgentCatalogOptions } from './agents/agent-catalog.js';
import type { ChatServerConfig } from './config.js';
import type { ReadinessCheck } from './health.js';
import { createHttpApp, createMetricsApp } from './http-app.js';
import { formatListenUrl } from './listen-url.js';
import { createMetricsRegistry } from './metrics.js';
import { shutDown } from './shutdown.js';
import { threadLimitAdmission } from './thread-limit.js';
import { openHistory, type History, type OpenHistoryOptions } from './storage/open-history.js';
import { createRedisMode } from './redis-mode.js';

/** A running chat server. */
export interface ChatServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080` (the actual port when `PORT=0`). */
  readonly url: string;
  /** Where `/metrics` is served: on `url`, or on `METRICS_PORT` when set. */
  readonly metricsUrl: string;
  /** The hub behind the sockets (its agents, stats, engine). */
  readonly hub: WebSocketHub;
  /** The conversation history (its store, writer and database check). */
  readonly history: History;
  /**
   * Shuts down gracefully (see `shutdown.ts`): readiness 503, no new chats, runs get
   * `SHUTDOWN_GRACE_MS` then are cancelled, sockets close with 1001, the HTTP server closes.
   * Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** Options of {@link createChatServer} beyond the configuration. */
export interface ChatServerOptions {
  /** Adjustments of the registered agents (tests shorten `slow N`). */
  agents?: AgentCatalogOptions;
  /** Retry and readiness timings of the conversation history (tests shorten them). */
  history?: Pick<OpenHistoryOptions, 'retries' | 'pingTimeoutMs'>;
}

/**
 * Starts a chat server: the hub with its agents, the WebSocket endpoint and the HTTP API on one
 * node `http.Server`, listening on `config.host:config.port`.
 *
 * @param config from `loadConfig`
 * @returns once it listens
 */
export async function createChatServer(
  config: ChatServerConfig,
  options: ChatServerOptions = {},
): Promise<ChatServer> {
  const logger = createLogger('chat-server');
  const metricsRegistry = createMetricsRegistry();
  // Multi-node mode: streams, fan-out, run ownership, tickets and rate limits live in Redis.
  const redisMode =
    config.redisUrl === undefined
      ? undefined
      : createRedisMode({ ...config, redisUrl: config.redisUrl });
  // Migrations are applied before anything listens: a database that cannot be reached or
  // migrated stops the start (and releases what was opened before it).
  const history = await openHistory({
    dataDir: config.dataDir,
    ...(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : {}),
    logger: createLogger('history'),
    ...options.history,
  }).catch(async (error: unknown) => {
    await redisMode?.close();
    throw error;
  });
  const hub = createWebSocketHub({
    ...(redisMode ? { engine: redisMode.engine, leaseTtlMs: redisMode.leaseTtlMs } : {}),
    serverId: config.serverId,
    agents: createAgentCatalog(config, options.agents),
    metricsRegistry,
    retention: {
      maxEvents: config.ws.resumeMaxEvents,
      maxAgeMs: config.ws.resumeMaxAgeMs,
      maxBytes: config.ws.resumeMaxBytes,
    },
    limits: {
      maxConnectionsPerUser: config.ws.maxConnectionsPerUser,
      maxRunsPerUser: config.ws.maxRunsPerUser,
      outboundLimitBytes: config.ws.outboundLimitBytes,
      maxRunEvents: config.runMaxEvents,
      maxRunBytes: config.runMaxBytes,
    },
    rateLimit: {
      perSecond: config.ws.ratePerSecond,
      burst: config.ws.rateBurst,
      ...(redisMode ? { store: redisMode.rateLimiterStore } : {}),
    },
    stallTimeoutMs: config.runStallTimeoutMs,
    // HISTORY=off: nothing is written, so there is no stored history for the thread limit to bound.
    hooks: config.historyWrites
      ? {
          ...history.hooks,
          admitChat: threadLimitAdmission({
            store: history.store,
            limiter: createAttemptLimiter({
              perMinute: config.threadsPerMinute,
              keyPrefix: 'new-threads',
            }),
            logger,
          }),
        }
      : {},
  });

  let shuttingDown = false;
  const verifier = createTokenVerifier(tokenVerifierOptions(config.jwt));
  const tickets = redisMode?.tickets ?? createInMemoryTicketStore();
  const server = http.createServer();
  const routes = attachWebSocketRoutes(server, {
    hub,
    auth: verifier,
    tickets,
    ...(config.allowedOrigins ? { allowedOrigins: config.allowedOrigins } : {}),
    trustProxy: config.trustProxy,
    heartbeatMs: config.ws.heartbeatMs,
    connectAttemptsPerMinute: config.ws.connectAttemptsPerMinute,
    isReady: () => !shuttingDown && (redisMode?.healthy() ?? true),
    metricsRegistry,
  });

  const readinessChecks: ReadinessCheck[] = [
    {
      name: 'shutdown',
      check: () =>
        shuttingDown ? { ok: false, message: 'the server is shutting down' } : { ok: true },
    },
    redisMode?.readinessCheck ?? {
      name: 'engine',
      check: async () => {
        const health = await hub.engine.health();
        return health.ok ? { ok: true } : { ok: false, message: health.detail };
      },
    },
    history.readinessCheck,
  ];
  const metricsOptions = {
    registry: metricsRegistry,
    ...(config.metrics.token === undefined ? {} : { token: config.metrics.token }),
  };
  const app = createHttpApp({
    agents: hub.agents,
    ...(config.devLogin && config.jwt.kind === 'secret'
      ? {
          devLogin: {
            secret: config.jwt.secret,
            issuer: config.jwt.issuer,
            audience: config.jwt.audience,
          },
        }
      : {}),
    tickets: {
      verifier,
      tickets,
      // Per node, like the connect-attempt limiter (docs/security.md#tickets).
      limiter: createAttemptLimiter({
        perMinute: config.ws.ticketsPerMinute,
        keyPrefix: 'ws-ticket',
      }),
    },
    threads: { verifier, store: history.store },
    agUi: {
      verifier,
      endpoint: createAgUiEndpoint({
        hub,
        hasRun: (userId, runId) => history.store.hasRun(userId, runId),
      }),
    },
    readinessChecks,
    // With METRICS_PORT, /metrics leaves the public port for its own listener.
    ...(config.metrics.port === undefined ? { metrics: metricsOptions } : {}),
    ...(config.nodeEnv === 'test'
      ? {
          testHooks: {
            dropUserConnections: (userId: string) => routes.dropUserConnections(userId),
          },
        }
      : {}),
    logger,
  });
  const listener = getRequestListener(app.fetch);
  server.on('request', (request, response) => {
    // The listener answers every error itself (500); nothing is left to await here.
    void listener(request, response);
  });

  let metricsServer: http.Server | undefined;
  if (config.metrics.port !== undefined) {
    const metricsListener = getRequestListener(createMetricsApp(metricsOptions, logger).fetch);
    metricsServer = http.createServer((request, response) => {
      void metricsListener(request, response);
    });
  }

  try {
    await listen(server, config.port, config.host);
    if (metricsServer) await listen(metricsServer, config.metrics.port ?? 0, config.host);
  } catch (error) {
    if (server.listening) server.close();
    await routes.close();
    await hub.close();
    await redisMode?.close();
    await history.close();
    throw error;
  }
  const url = formatListenUrl(config.host, (server.address() as AddressInfo).port);
  const metricsUrl = metricsServer
    ? `${formatListenUrl(config.host, (metricsServer.address() as AddressInfo).port)}/metrics`
    : `${url}/metrics`;
  logger.info('Chat server started', {
    url,
    serverId: config.serverId,
    nodeEnv: config.nodeEnv,
    mode: redisMode ? 'redis' : 'single-node',
    history: config.historyWrites ? history.kind : 'off',
    metrics: metricsUrl,
    metricsToken: config.metrics.token !== undefined,
    devLogin: config.devLogin,
    agents: hub.agents.list().map((agent) => agent.name),
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    metricsUrl,
    hub,
    history,
    close() {
      closing ??= shutDown({
        markShuttingDown: () => {
          shuttingDown = true;
        },
        hub,
        routes,
        server,
        graceMs: config.shutdownGraceMs,
        logger,
      }).finally(async () => {
        // The hub does not close an engine it was given; shutDown closed the hub.
        await closeMetricsServer(metricsServer);
        await redisMode?.close();
        await history.close();
      });
      return closing;
    },
  };
}

function tokenVerifierOptions(jwt: ChatServerConfig['jwt']): TokenVerifierOptions {
  const claims = {
    ...(jwt.issuer === undefined ? {} : { issuer: jwt.issuer }),
    ...(jwt.audience === undefined ? {} : { audience: jwt.audience }),
  };
  switch (jwt.kind) {
    case 'secret':
      return { secret: jwt.secret, ...claims };
    case 'publicKey':
      return { publicKey: jwt.publicKey, ...claims };
    case 'jwks':
      return { jwksUrl: jwt.jwksUrl, ...claims };
  }
}

function closeMetricsServer(server: http.Server | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
