import type { Logger } from '@app/logging-ssot';
import { RunFencedError, TooManyRunsError } from './errors';
import { RunSupervisor, type RunServices } from './run-supervisor';
import type { RunLease } from './stream-engine';

/** What a user's run table is made from. @internal */
export interface UserRunsInit {
  readonly services: RunServices;
  /** This node's runs in progress, by run id, shared by the hub's users (drain, control). */
  readonly nodeRuns: Map<string, RunSupervisor>;
  /** This node's id: the owner named in run leases. */
  readonly serverId: string;
  readonly maxRunsPerUser: number;
  readonly userId: string;
  readonly logger: Logger;
  /** Called after a run ended and gave back its slot. */
  readonly onRunEnded: () => void;
}

/**
 * One user's runs on this node: the `maxRunsPerUser` slots, the lease claimed for each run,
 * the supervisors of the runs in progress, and cancel routed to whichever node owns a run.
 * @internal
 */
export class UserRuns {
  readonly #init: UserRunsInit;
  readonly #runs = new Map<string, RunSupervisor>();
  /** Runs in progress plus runs being set up. */
  #slots = 0;

  constructor(init: UserRunsInit) {
    this.#init = init;
  }

  /** Runs in progress on this node, including runs being set up. */
  get activeCount(): number {
    return this.#slots;
  }

  /**
   * Takes a run slot; give it back with {@link abortSetup} should the setup fail.
   * @throws TooManyRunsError at `maxRunsPerUser`.
   */
  reserve(): void {
    const max = this.#init.maxRunsPerUser;
    if (this.#slots >= max) throw new TooManyRunsError(max);
    this.#slots++;
  }

  /**
   * Claims the run's lease for this node.
   * @throws RunFencedError when the run already has an owner.
   */
  async claim(runId: string, threadId: string, agentName: string): Promise<RunLease> {
    const lease = await this.tryClaim(runId, threadId, agentName);
    if (lease === undefined) throw new RunFencedError(runId);
    return lease;
  }

  /**
   * Claims the run's lease for this node; undefined when the run already has an owner, or when
   * a run of that id (another user's, under an engine whose leases are per user) runs here.
   */
  async tryClaim(
    runId: string,
    threadId: string,
    agentName: string,
  ): Promise<RunLease | undefined> {
    const { services, serverId, userId, nodeRuns } = this.#init;
    if (nodeRuns.has(runId)) return undefined;
    const lease = await services.engine.claimRun(userId, runId, serverId, services.leaseTtlMs, {
      threadId,
      agentName,
    });
    if (lease === undefined || !nodeRuns.has(runId)) return lease;
    await services.engine.releaseRun(lease).catch(() => undefined);
    return undefined;
  }

  /** Creates the run's supervisor in a reserved slot and registers it here and with the hub. */
  create(
    runId: string,
    threadId: string,
    agentName: string,
    input: string,
    lease: RunLease,
  ): RunSupervisor {
    const { services, nodeRuns, userId, logger } = this.#init;
    const run = new RunSupervisor({
      services,
      userId,
      runId,
      threadId,
      agentName,
      input,
      lease,
      logger: logger.child({ runId, threadId }),
      onEnded: (ended) => {
        this.#runs.delete(ended.runId);
        nodeRuns.delete(ended.runId);
        this.#slots--;
        this.#init.onRunEnded();
      },
    });
    this.#runs.set(runId, run);
    nodeRuns.set(runId, run);
    logger.debug('Run started', { runId, threadId, agent: agentName });
    return run;
  }

  /** A chat or startRun failed before its run was under way: give everything back. */
  abortSetup(run: RunSupervisor | undefined, lease: RunLease | undefined, error: unknown): void {
    if (run !== undefined) {
      run.abandon(error);
      return;
    }
    this.#slots--;
    if (lease !== undefined) {
      this.#init.services.engine.releaseRun(lease).catch(() => undefined);
    }
  }

  /**
   * Cancels a run of this user: here when it runs here, else through the engine's control
   * channel on the node that owns it.
   * @returns false when the run is unknown, finished or another user's.
   */
  async cancel(runId: string): Promise<boolean> {
    const local = this.#runs.get(runId);
    if (local !== undefined) return local.cancel();
    const { services, serverId, userId } = this.#init;
    const owner = await services.engine.findRun(userId, runId);
    if (owner === undefined || owner.ownerId === serverId) return false;
    await services.engine.publishControl({ type: 'cancel_run', userId, runId, origin: serverId });
    return true;
  }

  /** Cancels a run of this node only (control channel, drain). */
  cancelLocal(runId: string, cause: 'cancel' | 'shutdown'): boolean {
    return this.#runs.get(runId)?.cancel(cause) ?? false;
  }
}
