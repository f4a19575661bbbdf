import type { ActiveRun, ChatEvent } from '@app/ws-protocol';
import { isActiveRun } from '@app/ws-protocol/constants';
import { reduceRunView, type RunView } from './run-view.js';

/**
 * The user's runs in flight as this client knows them: those the latest `welcome.activeRuns`
 * listed, and those whose events it delivered since, each with its {@link RunView}. A run leaves
 * at its `agent_completed`, so the state held is bounded by the runs in flight.
 */
export class ActiveRuns {
  /** The latest `welcome`'s runs, minus those that completed since. */
  readonly #listed = new Map<string, ActiveRun>();
  /** Views of the runs in flight whose events were delivered. */
  readonly #views = new Map<string, RunView>();
  #welcomeSeq = 0;

  /** The runs in flight, oldest first (`agentName` is `''` while only a `user_message` was seen). */
  get list(): ActiveRun[] {
    const runs = new Map(this.#listed);
    for (const view of this.#views.values()) {
      const listed = runs.get(view.runId);
      runs.set(view.runId, {
        runId: view.runId,
        threadId: view.threadId,
        agentName: view.agentName ?? listed?.agentName ?? '',
        firstSeq: listed?.firstSeq ?? view.firstSeq,
        startedAt: listed?.startedAt ?? view.startedAt,
      });
    }
    return [...runs.values()].sort((a, b) => a.firstSeq - b.firstSeq);
  }

  /** The view of a run in flight whose events were delivered. */
  view(runId: string): RunView | undefined {
    return this.#views.get(runId);
  }

  /**
   * A connection's `welcome`: its `activeRuns` (malformed entries ignored) replace the list.
   * Returns the well-formed entries.
   */
  welcome(seq: number, activeRuns: unknown): ActiveRun[] {
    this.#welcomeSeq = seq;
    this.#listed.clear();
    const runs = Array.isArray(activeRuns) ? activeRuns.filter(isActiveRun) : [];
    for (const run of runs) this.#listed.set(run.runId, run);
    return runs;
  }

  /** A delivered event: returns its run's new view. */
  event(event: ChatEvent): RunView {
    const view = reduceRunView(this.#views.get(event.runId), event);
    if (view.status === 'running') {
      this.#views.set(event.runId, view);
    } else {
      this.#views.delete(event.runId);
      this.#listed.delete(event.runId);
    }
    return view;
  }

  /**
   * Events were lost (`reset`): a run whose end may be among them is forgotten unless the latest
   * `welcome` listed it or it started after that `welcome`.
   */
  reset(): void {
    for (const view of this.#views.values()) {
      if (!this.#listed.has(view.runId) && view.firstSeq <= this.#welcomeSeq)
        this.#views.delete(view.runId);
    }
  }
}
