import type { Logger } from '@app/logging-ssot';
import { ConnectionLimitError } from './errors';
import type { StreamEngine } from './stream-engine';

/** What every user's slots use, shared by all of them. @internal */
export interface ConnectionSlotServices {
  readonly engine: StreamEngine;
  /** Open connections per user, across nodes. */
  readonly maxConnectionsPerUser: number;
  /** How long a slot is held before it must be renewed. */
  readonly leaseTtlMs: number;
}

/**
 * One user's connection slots in the engine, counted across nodes against
 * `maxConnectionsPerUser` and held for `leaseTtlMs` at a time. @internal
 */
export class ConnectionSlots {
  readonly #services: ConnectionSlotServices;
  readonly #userId: string;
  readonly #logger: Logger;

  constructor(services: ConnectionSlotServices, userId: string, logger: Logger) {
    this.#services = services;
    this.#userId = userId;
    this.#logger = logger;
  }

  /** Whether one more connection fits under `maxConnectionsPerUser` right now. */
  async hasCapacity(): Promise<boolean> {
    const count = await this.#services.engine.countConnections(this.#userId);
    return count < this.#services.maxConnectionsPerUser;
  }

  /**
   * Takes a slot for the connection.
   * @throws ConnectionLimitError (`WS_CONNECTION_LIMIT`) past `maxConnectionsPerUser`.
   */
  async acquire(connectionId: string): Promise<void> {
    const { engine, maxConnectionsPerUser: max, leaseTtlMs } = this.#services;
    const acquired = await engine.acquireConnectionSlot(
      this.#userId,
      connectionId,
      max,
      leaseTtlMs,
    );
    if (!acquired) throw new ConnectionLimitError(max);
  }

  /** Gives the connection's slot back in the background; a failure is logged. */
  release(connectionId: string): void {
    this.#services.engine
      .releaseConnectionSlot(this.#userId, connectionId)
      .catch((error: unknown) => {
        this.#logger.warn('Releasing a connection slot failed', {
          connectionId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }
}
