import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { HttpError } from './http-error.js';

/**
 * The server's one Prometheus registry, with prom-client's default process metrics. The hub
 * and the socket routes register their `chat_*` metrics in it.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Options of {@link metricsRoutes}. */
export interface MetricsRouteOptions {
  /** `METRICS_TOKEN`: set, a request needs `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
}

/**
 * `GET /` (mounted at `/metrics`): the registry in Prometheus text format
 * (docs/security.md#metrics). With a token, every other request is 401 `unauthorized`.
 */
export function metricsRoutes(registry: Registry, options: MetricsRouteOptions = {}): Hono {
  const { token } = options;
  return new Hono().get('/', async (c) => {
    if (token !== undefined && !bearerMatches(c.req.header('Authorization'), token)) {
      throw new HttpError(401, 'unauthorized', '/metrics requires Authorization: Bearer <token>');
    }
    const text = await registry.metrics();
    return c.body(text, 200, { 'Content-Type': registry.contentType });
  });
}

/**
 * Whether `header` is `Bearer <expected>`, in time independent of where they differ: both sides
 * are hashed first, so even their lengths are compared in constant time.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}
