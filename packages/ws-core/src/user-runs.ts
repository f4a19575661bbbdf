import type { Logger } from '@app/logging-ssot';
import { RunFencedError, TooManyRunsError } from './errors';
import { RunSupervisor, type RunServices } from './run-supervisor';
import type { ChatAck, ChatId, RunLease } from './stream-engine';

/** What a user's run table is made from. @internal */
export interface UserRunsInit {
  readonly services: RunServices;
  /** This node's runs in progress, by run id, shared by the hub's users (drain, control). */
  readonly nodeRuns: Map<string, RunSupervisor>;
  /** This node's id: the owner named in run leases. */
  readonly serverId: string;
  readonly maxRunsPerUser: number;
  /** How long the engine remembers a chat id (`chatIdempotencyMs`). */
  readonly chatIdTtlMs: number;
  readonly userId: string;
  readonly logger: Logger;
  /** Called after a run ended and gave back its slot. */
  readonly onRunEnded: () => void;
}

/** What {@link UserRuns.admit} got: the run's lease, or the ack of an earlier chat. */
export type RunAdmitted =
  | { readonly kind: 'admitted'; readonly lease: RunLease }
  | { readonly kind: 'duplicate'; readonly ack: ChatAck };

/**
 * One user's runs on this node: their admission by the engine (the `maxRunsPerUser` cap and
 * chat ids hold across nodes there), the supervisors of the runs in progress, and cancel routed
 * to whichever node owns a run.
 * @internal
 */
export class UserRuns {
  readonly #init: UserRunsInit;
  readonly #runs = new Map<string, RunSupervisor>();
  /** Runs in progress on this node plus runs being set up. */
  #slots = 0;

  constructor(init: UserRunsInit) {
    this.#init = init;
  }

  /** Runs in progress on this node, including runs being set up. */
  get activeCount(): number {
    return this.#slots;
  }

  /**
   * Admits a run through the engine (chat id, cap across nodes, lease, all at once) and takes a
   * slot here until it ends; give it back with {@link abortSetup} should the setup fail. A chat
   * id seen before takes no slot and answers its original ack. `runIds` are tried in turn: each
   * but the last only while it is free (see `#admitAs`).
   * @throws TooManyRunsError at `maxRunsPerUser` runs on all nodes together.
   * @throws RunFencedError when the last run id already has an owner.
   */
  async admit(
    runIds: readonly string[],
    threadId: string,
    agentName: string,
    chatId?: ChatId,
  ): Promise<RunAdmitted> {
    this.#slots++;
    let admitted: RunAdmitted | { readonly kind: 'too_many_runs' } | undefined;
    try {
      for (let i = 0; i < runIds.length && admitted === undefined; i++) {
        admitted = await this.#admitAs(
          runIds[i]!,
          i === runIds.length - 1,
          threadId,
          agentName,
          chatId,
        );
      }
    } catch (error) {
      this.#slots--;
      throw error;
    }
    if (admitted?.kind === 'admitted') return admitted;
    this.#slots--;
    if (admitted?.kind === 'duplicate') return admitted;
    throw new TooManyRunsError(this.#init.maxRunsPerUser);
  }

  /**
   * One admission under `runId`. Unless it is the `last` candidate, a run id that is taken — an
   * owner in the engine, or a run of that id (another user's, under an engine whose leases are
   * per user) running on this node — gives undefined, so the next candidate is tried.
   */
  async #admitAs(
    runId: string,
    last: boolean,
    threadId: string,
    agentName: string,
    chatId: ChatId | undefined,
  ): Promise<RunAdmitted | { readonly kind: 'too_many_runs' } | undefined> {
    const { services, serverId, userId, nodeRuns, maxRunsPerUser, chatIdTtlMs } = this.#init;
    if (!last && nodeRuns.has(runId)) return undefined;
    let admitted: RunAdmitted | { readonly kind: 'too_many_runs' };
    try {
      admitted = await services.engine.admitRun({
        userId,
        runId,
        ownerId: serverId,
        ttlMs: services.leaseTtlMs,
        threadId,
        agentName,
        maxRuns: maxRunsPerUser,
        chatId,
        chatIdTtlMs,
      });
    } catch (error) {
      if (!last && error instanceof RunFencedError) return undefined;
      throw error;
    }
    if (last || admitted.kind !== 'admitted' || !nodeRuns.has(runId)) return admitted;
    // Raced with a run of that id starting here: give this admission back, chat id included.
    if (chatId !== undefined) await services.engine.forgetChat(userId, chatId, runId);
    await services.engine.releaseRun(admitted.lease);
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

  /**
   * An admitted chat or startRun failed before its run was under way: give everything back —
   * the slot, the lease, and the chat id, so that a resend can start the run.
   */
  abortSetup(
    run: RunSupervisor | undefined,
    lease: RunLease,
    error: unknown,
    chatId: ChatId | undefined,
  ): void {
    const engine = this.#init.services.engine;
    if (chatId !== undefined) {
      engine.forgetChat(lease.userId, chatId, lease.runId).catch(() => undefined);
    }
    if (run !== undefined) {
      run.abandon(error);
      return;
    }
    this.#slots--;
    engine.releaseRun(lease).catch(() => undefined);
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
