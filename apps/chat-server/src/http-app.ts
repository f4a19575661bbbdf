import type { Logger } from '@app/logging-ssot';
import { Hono, type ErrorHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Registry } from 'prom-client';
import { agUiRoutes, type AgUiRoutesDeps } from './ag-ui-routes.js';
import { devLoginRoutes, type DevTokenOptions } from './dev-login.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { HttpError } from './http-error.js';
import { metricsRoutes, type MetricsRouteOptions } from './metrics.js';
import { testHookRoutes, type TestHookDeps } from './test-hooks.js';
import { threadsRoutes, type ThreadsApiDeps } from './threads-api.js';
import { registerWebPage } from './web-page.js';
import { wsTicketRoutes, type WsTicketDeps } from './ws-ticket.js';

/** Largest request body the API reads: 64 KiB. */
const MAX_BODY_BYTES = 65_536;
/** Largest `POST /ag-ui` body: 1 MiB (an AG-UI client sends the whole conversation every run). */
const MAX_AG_UI_BODY_BYTES = 1_048_576;

/** Everything the HTTP API serves from. */
export interface HttpAppDeps {
  /** The registered agents (`GET /api/v1/agents`). */
  agents: { list(): { name: string; description: string }[] };
  /** Set: `POST /api/v1/dev/login` signs tokens with these options; unset: 404. */
  devLogin?: DevTokenOptions;
  /** `POST /api/v1/ws-ticket`. */
  tickets: WsTicketDeps;
  /** `GET /health/ready`. */
  readinessChecks: readonly ReadinessCheck[];
  /** `GET /metrics`; unset: not served here (`METRICS_PORT` serves it on its own port). */
  metrics?: { registry: Registry } & MetricsRouteOptions;
  /** Set: `/api/v1/threads` (conversation history). */
  threads?: Omit<ThreadsApiDeps, 'logger'>;
  /** Set: `/ag-ui` (AG-UI runs over Server-Sent Events). */
  agUi?: AgUiRoutesDeps;
  /** Set (only when `NODE_ENV=test`): `/api/v1/test/*`. */
  testHooks?: TestHookDeps;
  logger: Logger;
}

/**
 * The HTTP API on Hono: every endpoint of the chat server except the WebSocket upgrade, which
 * `@app/ws-routes` handles on the same node server. Errors are JSON
 * `{"error":{"code","message"}}`: unknown routes 404 `not_found`, bad JSON 400 `invalid_json`.
 */
export function createHttpApp(deps: HttpAppDeps): Hono {
  const app = new Hono();
  // Only methods whose bodies a handler reads. A request without Content-Length (chunked) is
  // re-wrapped by bodyLimit in a global Request, which works because the node adapter installs
  // its Request as the global one (server.ts keeps `overrideGlobalObjects` at its default).
  app.on(
    ['POST', 'PUT', 'PATCH'],
    '/api/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(tooLarge().toBody(), 413) }),
  );
  registerWebPage(app);
  if (deps.devLogin) app.route('/api/v1/dev/login', devLoginRoutes(deps.devLogin));
  app.route('/api/v1/ws-ticket', wsTicketRoutes(deps.tickets));
  app.get('/api/v1/agents', (c) => c.json(deps.agents.list()));
  if (deps.threads) {
    app.route('/api/v1/threads', threadsRoutes({ ...deps.threads, logger: deps.logger }));
  }
  if (deps.agUi) {
    app.post(
      '/ag-ui',
      bodyLimit({
        maxSize: MAX_AG_UI_BODY_BYTES,
        onError: (c) => c.json(tooLarge(MAX_AG_UI_BODY_BYTES).toBody(), 413),
      }),
    );
    app.route('/ag-ui', agUiRoutes(deps.agUi));
  }
  if (deps.testHooks) app.route('/api/v1/test', testHookRoutes(deps.testHooks));
  app.route('/health', healthRoutes(deps.readinessChecks));
  if (deps.metrics) app.route('/metrics', metricsRoutes(deps.metrics.registry, deps.metrics));

  app.notFound((c) => {
    const error = new HttpError(404, 'not_found', `There is no ${c.req.method} ${c.req.path}`);
    return c.json(error.toBody(), 404);
  });
  app.onError(httpErrorHandler(deps.logger));
  return app;
}

/** Errors as JSON `{"error":{"code","message"}}`, with `WWW-Authenticate` and `Retry-After`. */
function httpErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof HttpError) {
      if (error.status === 401) c.header('WWW-Authenticate', 'Bearer');
      const retryAfter = error.retryAfterSeconds();
      if (retryAfter !== undefined) c.header('Retry-After', retryAfter);
      return c.json(error.toBody(), error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(new HttpError(400, 'invalid_request', error.message).toBody(), error.status);
    }
    logger.error('HTTP request failed', { method: c.req.method, path: c.req.path, error });
    return c.json(new HttpError(500, 'internal', 'Internal server error').toBody(), 500);
  };
}

/**
 * The app of `METRICS_PORT`: only `GET /metrics` (with `METRICS_TOKEN` when set), everything
 * else 404, errors as on the main port.
 */
export function createMetricsApp(
  metrics: { registry: Registry } & MetricsRouteOptions,
  logger: Logger,
): Hono {
  const app = new Hono();
  app.route('/metrics', metricsRoutes(metrics.registry, metrics));
  app.notFound((c) =>
    c.json(new HttpError(404, 'not_found', 'Only GET /metrics is served here').toBody(), 404),
  );
  app.onError(httpErrorHandler(logger));
  return app;
}

function tooLarge(maxBytes = MAX_BODY_BYTES): HttpError {
  return new HttpError(
    413,
    'payload_too_large',
    `The request body is larger than ${maxBytes} bytes`,
  );
}
