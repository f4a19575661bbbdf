import type { RunStatus, UnsequencedEvent } from '@app/ws-protocol';
import { RunOrder } from './run-order';

/** Where the audit reports what it saw: the monitor's counters. @internal */
export interface AuditCounters {
  runStarted(): void;
  recordFirstEvent(seconds: number): void;
  runEnded(status: RunStatus, durationMs: number): void;
  recordOrderViolation(runId: string, problem: string): void;
}

interface AuditedRun {
  readonly order: RunOrder;
  readonly startedAt: number;
  firstEventSeen: boolean;
}

/** Ended run ids remembered to detect late events. */
const RECENTLY_ENDED = 1024;

/**
 * Checks a feed of appended events (read back from a stream, not handed over by the run that
 * made them) against the per-run order (`docs/protocol.md#run-order`), and reports the runs it sees to
 * the monitor's counters. The hub's own runs report to the monitor directly (see
 * `RunSupervisor`); this is the check for events that came from elsewhere. @internal
 */
export class EventOrderAudit {
  readonly #counters: AuditCounters;
  readonly #runs = new Map<string, AuditedRun>();
  readonly #ended = new Set<string>();

  constructor(counters: AuditCounters) {
    this.#counters = counters;
  }

  /** Checks and counts one appended event (in append order per run). */
  observe(event: UnsequencedEvent): void {
    if (event.type === 'user_message') return;
    const runId = event.runId;
    let run = this.#runs.get(runId);
    if (run === undefined) {
      if (event.type !== 'agent_started' || this.#ended.has(runId)) {
        this.#counters.recordOrderViolation(
          runId,
          `${event.type} of a run that is not in progress`,
        );
        return;
      }
      run = { order: new RunOrder(), startedAt: Date.now(), firstEventSeen: false };
      this.#runs.set(runId, run);
      this.#counters.runStarted();
    } else if (!run.firstEventSeen) {
      run.firstEventSeen = true;
      this.#counters.recordFirstEvent((Date.now() - run.startedAt) / 1000);
    }
    const toolCallId =
      event.type === 'tool_executing' || event.type === 'tool_completed'
        ? event.payload.toolCallId
        : undefined;
    const problem = run.order.problem(event.type, toolCallId);
    if (problem !== undefined) {
      this.#counters.recordOrderViolation(runId, problem);
      return;
    }
    run.order.apply(event.type, toolCallId);
    if (event.type === 'agent_completed') {
      this.#end(runId);
      this.#counters.runEnded(event.payload.status, event.payload.durationMs);
    }
  }

  #end(runId: string): void {
    this.#runs.delete(runId);
    this.#ended.add(runId);
    if (this.#ended.size > RECENTLY_ENDED) {
      const oldest = this.#ended.values().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
  }
}
