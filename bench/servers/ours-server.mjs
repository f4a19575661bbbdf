/**
 * Our stack, wired as apps/chat-server wires it (createWebSocketHub with a Prometheus registry
 * and process metrics, attachWebSocketRoutes with createTokenVerifier on a node http.Server,
 * @app/logging-ssot configured from LOG_LEVEL), from the BUILT packages, plus the bench control
 * endpoints. Events are produced through `manager.startRun(...)` emitters, so each one takes the
 * real path: run order checks → engine append (seq, retention) → subscription → every
 * connection of the user.
 *
 * Environment (names as chat-server's): BENCH_JWT_SECRET, LOG_LEVEL, WS_MAX_CONNECTIONS_PER_USER,
 * WS_CONNECT_ATTEMPTS_PER_MINUTE, WS_RATE_PER_SECOND, WS_RATE_BURST, WS_OUTBOUND_LIMIT_BYTES,
 * WS_RESUME_MAX_EVENTS, REDIS_URL (+ BENCH_REDIS_PREFIX) for the Redis engine, SERVER_ID.
 */
import http from 'node:http';
import { configureLogging, createLogger } from '@app/logging-ssot';
import { createUserContext, createWebSocketHub } from '@app/ws-core';
import {
  attachWebSocketRoutes,
  createInMemoryTicketStore,
  createTokenVerifier,
} from '@app/ws-routes';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createControlHandler, listenAndReport } from './bench-control.mjs';
import { createRedisEngineFromEnv } from './redis-engine.mjs';

const env = process.env;
const int = (name, fallback) => (env[name] ? Number(env[name]) : fallback);

// JSON lines to stdout, as in production; the orchestrator points stdout at /dev/null.
configureLogging({ level: env.LOG_LEVEL ?? 'info', format: 'json' });

const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const serverId = env.SERVER_ID ?? `bench-${process.pid}`;
const retention = { maxEvents: int('WS_RESUME_MAX_EVENTS', 1000), maxAgeMs: 300_000 };
const engine = env.REDIS_URL ? await createRedisEngineFromEnv({ serverId, retention }) : undefined;

const hub = createWebSocketHub({
  serverId,
  ...(engine ? { engine } : {}),
  metricsRegistry,
  logger: createLogger('ws-core'),
  retention,
  limits: {
    maxConnectionsPerUser: int('WS_MAX_CONNECTIONS_PER_USER', 10),
    outboundLimitBytes: int('WS_OUTBOUND_LIMIT_BYTES', 1 << 20),
  },
  rateLimit: { perSecond: int('WS_RATE_PER_SECOND', 20), burst: int('WS_RATE_BURST', 40) },
  // Bench runs hold one run per user open across an emission; no stall in between matters here.
  stallTimeoutMs: 600_000,
});

const verifier = createTokenVerifier({ secret: env.BENCH_JWT_SECRET });
const server = http.createServer();
const routes = attachWebSocketRoutes(server, {
  hub,
  auth: verifier,
  tickets: createInMemoryTicketStore(),
  heartbeatMs: 25_000,
  connectAttemptsPerMinute: int('WS_CONNECT_ATTEMPTS_PER_MINUTE', 600),
  metricsRegistry,
});

const adapter = {
  async begin(userIds) {
    return Promise.all(
      userIds.map((userId) =>
        hub.getManager(createUserContext({ userId })).startRun({ agent: 'bench', input: 'bench' }),
      ),
    );
  },
  emit(emitter, text) {
    return emitter.thinking(text);
  },
  async end(emitters) {
    await Promise.all(emitters.map((emitter) => emitter.complete({ status: 'success' })));
  },
  stats: () => ({ connections: routes.connectionCount, ...hub.stats(), engine: hub.engine.kind }),
};

const control = createControlHandler(adapter, { kind: 'ours', serverId });
server.on('request', (request, response) => {
  void control(request, response).then((handled) => {
    if (!handled) {
      response.writeHead(404);
      response.end();
    }
  });
});

listenAndReport(server, 'ours');
