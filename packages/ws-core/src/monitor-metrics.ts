import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The prom-client metrics of ws-core (names fixed by docs/server.md#metrics). @internal */
export interface MonitorMetrics {
  readonly connections: Gauge;
  readonly eventsSent: Counter;
  readonly resumes: Counter<'complete'>;
  readonly runsTotal: Counter<'status'>;
  readonly runsActive: Gauge;
  readonly stalls: Counter;
  readonly orderViolations: Counter;
  readonly firstEventSeconds: Histogram;
  readonly durationSeconds: Histogram;
}

/** Source of the hot-path counter, read at scrape time rather than incremented per send. */
export interface EventsSentSource {
  readonly eventsSent: number;
}

interface Attachment {
  readonly metrics: MonitorMetrics;
  readonly sources: Set<EventsSentSource>;
}

/** One set of metrics per registry, shared by every hub that reports into it. */
const attachments = new WeakMap<Registry, Attachment>();

function create(registry: Registry, sources: Set<EventsSentSource>): MonitorMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({
      name: 'chat_ws_connections',
      help: 'Open WebSocket connections registered with ws-core.',
      registers,
    }),
    eventsSent: new Counter({
      name: 'chat_ws_events_sent_total',
      help: 'Stream events written to connections (one per event per connection).',
      registers,
      collect() {
        let total = 0;
        for (const source of sources) total += source.eventsSent;
        this.reset();
        this.inc(total);
      },
    }),
    resumes: new Counter({
      name: 'chat_ws_resumes_total',
      help: 'Resumes (connect-time and on open connections), by completeness.',
      labelNames: ['complete'],
      registers,
    }),
    runsTotal: new Counter({
      name: 'chat_runs_total',
      help: 'Finished runs by terminal status.',
      labelNames: ['status'],
      registers,
    }),
    runsActive: new Gauge({ name: 'chat_runs_active', help: 'Runs in progress.', registers }),
    stalls: new Counter({
      name: 'chat_run_stalls_total',
      help: 'Runs ended with timeout because the agent stayed silent for stallTimeoutMs.',
      registers,
    }),
    orderViolations: new Counter({
      name: 'chat_run_order_violations_total',
      help: 'Appended run events that break the protocol order (should stay 0).',
      registers,
    }),
    firstEventSeconds: new Histogram({
      name: 'chat_run_first_event_seconds',
      help: 'Time from agent_started to the run’s next event.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    durationSeconds: new Histogram({
      name: 'chat_run_duration_seconds',
      help: 'Run duration (agent_completed durationMs).',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    }),
  };
}

/**
 * Registers (once per registry) the metrics and adds `source` to the events-sent total.
 * @internal
 */
export function attachMonitorMetrics(registry: Registry, source: EventsSentSource): MonitorMetrics {
  let attachment = attachments.get(registry);
  if (attachment === undefined) {
    const sources = new Set<EventsSentSource>();
    attachment = { metrics: create(registry, sources), sources };
    attachments.set(registry, attachment);
  }
  attachment.sources.add(source);
  return attachment.metrics;
}
