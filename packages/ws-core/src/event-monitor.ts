import type { Logger } from '@app/logging-ssot';
import type { RunStatus, UnsequencedEvent } from '@app/ws-protocol';
import type { Registry } from 'prom-client';
import { attachMonitorMetrics, type MonitorMetrics } from './monitor-metrics';
import { EventOrderAudit, type AuditCounters } from './event-order-audit';

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

/**
 * Counts what a hub's runs and connections report: active runs, runs by terminal status,
 * stalls, time to first event and duration; connections, events sent and resumes. It holds no
 * run state: each run's supervisor reports its own start, first event and end. Order
 * violations are counted by {@link ChatEventMonitor.observe}, the check of a feed of appended
 * events (should stay 0). Exported as prom-client metrics when a registry is given.
 */
export class ChatEventMonitor implements AuditCounters {
  /** Events written to connections (hot path: a plain number, read at scrape time). */
  eventsSent = 0;
  readonly #metrics: MonitorMetrics | undefined;
  readonly #logger: Logger | undefined;
  #activeRuns = 0;
  #audit: EventOrderAudit | undefined;
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

  /**
   * Checks one appended event against the per-run order and counts its run (in append order
   * per run): for events read back from a stream. The hub's runs report themselves.
   */
  observe(event: UnsequencedEvent): void {
    this.#audit ??= new EventOrderAudit(this);
    this.#audit.observe(event);
  }

  /** A run appended its `agent_started`. @internal */
  runStarted(): void {
    this.#activeRuns++;
    this.#metrics?.runsActive.inc();
  }

  /** The first event of a run after `agent_started`, `seconds` after it. @internal */
  recordFirstEvent(seconds: number): void {
    this.#firstCount++;
    this.#firstSum += seconds;
    this.#metrics?.firstEventSeconds.observe(seconds);
  }

  /** A run's terminal `agent_completed`. @internal */
  runEnded(status: RunStatus, durationMs: number): void {
    this.#runEnded();
    this.#byStatus[status]++;
    this.#durationCount++;
    this.#durationSum += durationMs / 1000;
    this.#metrics?.runsTotal.inc({ status });
    this.#metrics?.durationSeconds.observe(durationMs / 1000);
  }

  /** An appended event broke its run's order. @internal */
  recordOrderViolation(runId: string, problem: string): void {
    this.#violations++;
    this.#metrics?.orderViolations.inc();
    this.#logger?.warn('Run event order violation', { runId, problem });
  }

  /** A run ended with `timeout` after stallTimeoutMs of silence. */
  recordStall(): void {
    this.#stalls++;
    this.#metrics?.stalls.inc();
  }

  /** A started run ended without a terminal event (engine failure, lost lease). @internal */
  runAbandoned(): void {
    this.#runEnded();
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
      activeRuns: this.#activeRuns,
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

  #runEnded(): void {
    this.#activeRuns--;
    this.#metrics?.runsActive.dec();
  }
}
