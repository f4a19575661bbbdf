import { Hono } from 'hono';
import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's one Prometheus registry, with prom-client's default process metrics. The hub
 * and the socket routes register their `chat_*` metrics in it.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `GET /` (mounted at `/metrics`): the registry in Prometheus text format. */
export function metricsRoutes(registry: Registry): Hono {
  return new Hono().get('/', async (c) => {
    const text = await registry.metrics();
    return c.body(text, 200, { 'Content-Type': registry.contentType });
  });
}
