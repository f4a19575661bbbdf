import type { Logger } from '@app/logging-ssot';
import type { AppendOptions, AppendResult } from '@app/ws-core';
import type { UnsequencedEvent } from '@app/ws-protocol';
import { parseDeadlineMember, type RunLeaseStore } from './run-lease-store';

/** The error code of the terminal event a reaper writes for a run whose node was lost. */
export const NODE_LOST_CODE = 'node_lost';

/** What the reaper needs. */
export interface ReaperDeps {
  readonly leases: RunLeaseStore;
  readonly serverId: string;
  readonly logger: Logger;
  /** The engine's append (ordered, fenced). */
  append(userId: string, event: UnsequencedEvent, options: AppendOptions): Promise<AppendResult>;
  /** Whether Redis can be used now (a tick is skipped otherwise). */
  isUsable(): boolean;
  /** TTL of the lease taken over to write the terminal event, in ms. */
  readonly takeoverTtlMs: number;
  /** Runs examined per tick at most. */
  readonly batchSize: number;
}

/**
 * Ends the runs of lost nodes (docs/scaling.md#rule-4-run-ownership-with-fencing). Every node runs one; each tick reads the
 * deadline index for leases past their deadline, and for each, the take-over script lets exactly
 * one node claim the run (`SET NX` on the expired lease) and append its terminal
 * `agent_completed` (`status: 'error'`, `error.code: 'node_lost'`) under the new lease — which
 * also fences the old owner should it wake up — also for a run that appended nothing yet: its
 * client may hold the ack already, and the thread comes from the claim (ws-core's hub passes it).
 * Only a run claimed without a thread that never appended an event (its thread is unknown) is
 * released without one.
 */
export class OrphanRunReaper {
  #timer: ReturnType<typeof setInterval> | undefined;
  #ticking = false;

  constructor(private readonly deps: ReaperDeps) {}

  /** Starts ticking every `intervalMs`. */
  start(intervalMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.tick(), intervalMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass over the overdue leases; resolves with how many runs this node ended. */
  async tick(): Promise<number> {
    if (this.#ticking || !this.deps.isUsable()) return 0;
    this.#ticking = true;
    let ended = 0;
    try {
      const due = await this.deps.leases.due(this.deps.batchSize);
      for (const member of due) {
        if (!this.deps.isUsable()) break;
        const run = parseDeadlineMember(member);
        if (run !== undefined && (await this.#reap(run.userId, run.runId))) ended++;
      }
    } catch (error) {
      this.deps.logger.debug('Reaper pass failed; the next one retries', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.#ticking = false;
    }
    return ended;
  }

  async #reap(userId: string, runId: string): Promise<boolean> {
    const { leases, serverId, logger } = this.deps;
    const taken = await leases.takeOver(userId, runId, serverId, this.deps.takeoverTtlMs);
    if (taken.kind !== 'claimed') return false;
    if (taken.threadId === '') {
      await leases.release(taken.lease);
      logger.warn(
        'Released a lost run with no known thread (claimed without one, nothing appended)',
        {
          userId,
          runId,
        },
      );
      return true;
    }
    const durationMs = Math.max(0, taken.now - taken.startedAt);
    await this.deps.append(
      userId,
      {
        type: 'agent_completed',
        runId,
        threadId: taken.threadId,
        ts: new Date(taken.now).toISOString(),
        payload: {
          status: 'error',
          error: {
            code: NODE_LOST_CODE,
            message: 'The server running this request stopped responding.',
          },
          durationMs,
        },
      },
      { lease: taken.lease, terminal: true },
    );
    logger.warn('Ended a run whose node was lost', { userId, runId, durationMs });
    return true;
  }
}
