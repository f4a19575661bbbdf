import { Counter, type Registry } from 'prom-client';

/** The endpoint's metrics (names exact; labels never carry user ids). */
export interface RouteMetrics {
  /** `chat_ws_closes_total{code}`: a connection closed with `code`. */
  closed(code: number): void;
  /** `chat_ws_refusals_total{status}`: an upgrade was refused with HTTP `status`. */
  refused(status: number): void;
  /** `chat_ws_rate_limited_total`: an inbound frame was refused by the user's rate limit. */
  rateLimited(): void;
}

const NOOP_METRICS: RouteMetrics = { closed() {}, refused() {}, rateLimited() {} };

/**
 * Registers the endpoint's counters on `registry`, or reuses them when another routes instance
 * already registered them there. Without a registry, counting is a no-op.
 */
export function createRouteMetrics(registry: Registry | undefined): RouteMetrics {
  if (registry === undefined) return NOOP_METRICS;
  const closes = counter(
    registry,
    'chat_ws_closes_total',
    'WebSocket connections closed, by close code',
    ['code'],
  );
  const refusals = counter(
    registry,
    'chat_ws_refusals_total',
    'WebSocket upgrades refused, by HTTP status',
    ['status'],
  );
  const rateLimited = counter(
    registry,
    'chat_ws_rate_limited_total',
    'Inbound frames refused by the per-user rate limit',
    [],
  );
  return {
    closed: (code) => closes.inc({ code: closeCodeLabel(code) }),
    refused: (status) => refusals.inc({ status: String(status) }),
    rateLimited: () => rateLimited.inc(),
  };
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** A peer may send any code from 1000 to 4999; unknown ones share a label to bound cardinality. */
function closeCodeLabel(code: number): string {
  if (
    (code >= 1000 && code <= 1015) ||
    code === 4000 ||
    code === 4401 ||
    code === 4408 ||
    code === 4429
  ) {
    return String(code);
  }
  return 'other';
}
