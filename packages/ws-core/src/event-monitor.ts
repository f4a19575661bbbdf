import type { Logger } from '@app/logging-ssot';
import type { RunStatus, UnsequencedEvent } from '@app/ws-protocol';
import type { Registry } from 'prom-client';
import { attachMonitorMetrics, type MonitorMetrics } from './monitor-metrics';
import { RunOrder } from './run-order';

/** Counters of a {@link ChatEventMonitor}, for tests and diagnostics. */
export interface MonitorSnapshot {
  readonly activeRuns: number;
  readonly runsByStatus: Readonly<Record<RunStatus, number>>;
  readonly stalls: number;
  /** Appended events that broke the per-run order. Should stay 0. */
  readonly orderViolations: number;
  /** Time from agent_started to the next event of the run. */
  readonly firstEvent: { readonly count: number; readonly sumSeconds: number };
  /** Run durations (agent_completed durationMs). */
  readonly duration: { readonly count: number; readonly sumSeconds: number };
  readonly connections: number;
  readonly eventsSent: number;
  readonly resumes: { readonly complete: number; readonly incomplete: number };
}

/** Options of {@link ChatEventMonitor}. */
export interface ChatEventMonitorOptions {
  /** When given, the metrics are registered there (shared when several hubs use one registry). */
  registry?: Registry;
  /** Where order violations are reported (warn, once per run). */
  logger?: Logger;
}

/** A run the monitor is watching (opaque outside). @internal */
export interface WatchedRun {
  readonly order: RunOrder;
  readonly startedAt: number;
  firstEventSeen: boolean;
}

/** Ended run ids remembered to detect late events. */
const RECENTLY_ENDED = 1024;

/**
 * Watches every run of a hub through the events it appends: active runs, runs by terminal
 * status, stalls, order violations (verified independently of the emitter; should stay 0),
 * time to first event and duration; and the connections' counters. Exported as prom-client
 * metrics when a registry is given.
 */
export class ChatEventMonitor {
  /** Events written to connections (hot path: a plain number, read at scrape time). */
  eventsSent = 0;
  readonly #metrics: MonitorMetrics | undefined;
  readonly #logger: Logger | undefined;
  readonly #runs = new Map<string, WatchedRun>();
  readonly #ended = new Set<string>();
  readonly #byStatus: Record<RunStatus, number> = {
    success: 0,
    error: 0,
    cancelled: 0,
    timeout: 0,
  };
  #stalls = 0;
  #violations = 0;
  #firstCount = 0;
  #firstSum = 0;
  #durationCount = 0;
  #durationSum = 0;
  #connections = 0;
  #resumesComplete = 0;
  #resumesIncomplete = 0;

  constructor(options: ChatEventMonitorOptions = {}) {
    this.#metrics = options.registry ? attachMonitorMetrics(options.registry, this) : undefined;
    this.#logger = options.logger;
  }

  /** Observes one event of a run as it is appended (in append order per run). */
  observe(event: UnsequencedEvent): void {
    this.observeRun(event, undefined);
  }

  /**
   * `observe`, given the run's watch from the previous call (saves a lookup per event).
   * Returns the watch to pass next time. @internal
   */
  observeRun(event: UnsequencedEvent, known: WatchedRun | undefined): WatchedRun | undefined {
    if (event.type === 'user_message') return known;
    const runId = event.runId;
    let run = known ?? this.#runs.get(runId);
    if (run === undefined) {
      if (event.type !== 'agent_started' || this.#ended.has(runId)) {
        this.#violation(runId, `${event.type} of a run that is not in progress`);
        return undefined;
      }
      run = { order: new RunOrder(), startedAt: Date.now(), firstEventSeen: false };
      this.#runs.set(runId, run);
      this.#metrics?.runsActive.inc();
    } else if (!run.firstEventSeen) {
      run.firstEventSeen = true;
      const seconds = (Date.now() - run.startedAt) / 1000;
      this.#firstCount++;
      this.#firstSum += seconds;
      this.#metrics?.firstEventSeconds.observe(seconds);
    }
    const toolCallId =
      event.type === 'tool_executing' || event.type === 'tool_completed'
        ? event.payload.toolCallId
        : undefined;
    const problem = run.order.problem(event.type, toolCallId);
    if (problem !== undefined) {
      this.#violation(runId, problem);
      return run;
    }
    run.order.apply(event.type, toolCallId);
    if (event.type === 'agent_completed') {
      const { status, durationMs } = event.payload;
      this.#end(runId);
      this.#byStatus[status]++;
      this.#durationCount++;
      this.#durationSum += durationMs / 1000;
      this.#metrics?.runsTotal.inc({ status });
      this.#metrics?.durationSeconds.observe(durationMs / 1000);
      return undefined;
    }
    return run;
  }

  /** A run ended with `timeout` after stallTimeoutMs of silence. */
  recordStall(): void {
    this.#stalls++;
    this.#metrics?.stalls.inc();
  }

  /** A run ended without an appended terminal event (engine failure, lost lease). */
  runAbandoned(runId: string): void {
    if (this.#runs.has(runId)) this.#end(runId);
  }

  /** A connection was registered. */
  connectionOpened(): void {
    this.#connections++;
    this.#metrics?.connections.inc();
  }

  /** A connection was unregistered. */
  connectionClosed(): void {
    this.#connections--;
    this.#metrics?.connections.dec();
  }

  /** A resume ended (connect-time or on an open connection). */
  recordResume(complete: boolean): void {
    if (complete) this.#resumesComplete++;
    else this.#resumesIncomplete++;
    this.#metrics?.resumes.inc({ complete: String(complete) });
  }

  /** The current counters. */
  snapshot(): MonitorSnapshot {
    return {
      activeRuns: this.#runs.size,
      runsByStatus: { ...this.#byStatus },
      stalls: this.#stalls,
      orderViolations: this.#violations,
      firstEvent: { count: this.#firstCount, sumSeconds: this.#firstSum },
      duration: { count: this.#durationCount, sumSeconds: this.#durationSum },
      connections: this.#connections,
      eventsSent: this.eventsSent,
      resumes: { complete: this.#resumesComplete, incomplete: this.#resumesIncomplete },
    };
  }

  #end(runId: string): void {
    this.#runs.delete(runId);
    this.#metrics?.runsActive.dec();
    this.#ended.add(runId);
    if (this.#ended.size > RECENTLY_ENDED) {
      const oldest = this.#ended.values().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
  }

  #violation(runId: string, problem: string): void {
    this.#violations++;
    this.#metrics?.orderViolations.inc();
    this.#logger?.warn('Run event order violation', { runId, problem });
  }
}
