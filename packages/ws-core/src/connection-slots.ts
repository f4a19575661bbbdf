import type { Logger } from '@app/logging-ssot';
import { ConnectionLimitError } from './errors';
import type { HubRuntime } from './hub-runtime';

/**
 * One user's connection slots in the engine, counted across nodes against
 * `maxConnectionsPerUser` and held for `leaseTtlMs` at a time. @internal
 */
export class ConnectionSlots {
  readonly #runtime: HubRuntime;
  readonly #userId: string;
  readonly #logger: Logger;

  constructor(runtime: HubRuntime, userId: string, logger: Logger) {
    this.#runtime = runtime;
    this.#userId = userId;
    this.#logger = logger;
  }

  /** Whether one more connection fits under `maxConnectionsPerUser` right now. */
  async hasCapacity(): Promise<boolean> {
    const count = await this.#runtime.engine.countConnections(this.#userId);
    return count < this.#runtime.settings.limits.maxConnectionsPerUser;
  }

  /**
   * Takes a slot for the connection.
   * @throws ConnectionLimitError (`WS_CONNECTION_LIMIT`) past `maxConnectionsPerUser`.
   */
  async acquire(connectionId: string): Promise<void> {
    const { engine, settings } = this.#runtime;
    const max = settings.limits.maxConnectionsPerUser;
    const acquired = await engine.acquireConnectionSlot(
      this.#userId,
      connectionId,
      max,
      settings.leaseTtlMs,
    );
    if (!acquired) throw new ConnectionLimitError(max);
  }

  /** Gives the connection's slot back in the background; a failure is logged. */
  release(connectionId: string): void {
    this.#runtime.engine
      .releaseConnectionSlot(this.#userId, connectionId)
      .catch((error: unknown) => {
        this.#logger.warn('Releasing a connection slot failed', {
          connectionId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }
}
