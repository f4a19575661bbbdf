import { CLOSE_CODES } from '@app/ws-protocol';
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

/** The codes RFC 6455 (and its IANA registry) defines, which get their own label. */
const FIRST_STANDARD_CLOSE_CODE = 1000;
const LAST_STANDARD_CLOSE_CODE = 1015;
/** The protocol's own codes (docs/protocol.md#close-codes), which get their own label. */
const PROTOCOL_CLOSE_CODES: ReadonlySet<number> = new Set(Object.values(CLOSE_CODES));

/** A peer may send any code from 1000 to 4999; unknown ones share a label to bound cardinality. */
function closeCodeLabel(code: number): string {
  const standard = code >= FIRST_STANDARD_CLOSE_CODE && code <= LAST_STANDARD_CLOSE_CODE;
  return standard || PROTOCOL_CLOSE_CODES.has(code) ? String(code) : 'other';
}
