import type { WebSocketManager } from './manager';
import { type TimerHandle, unrefTimeout } from './timers';
import type { UserContext } from './user-context';

/**
 * The managers of one hub, one per user. `get` is synchronous, so any number of concurrent
 * calls for a user return the same instance. A manager that stays idle (no connection, no run,
 * no call in progress) for `idleTtlMs` is evicted, so memory follows the active users, not the
 * users ever seen.
 */
export class ManagerRegistry {
  readonly #managers = new Map<string, WebSocketManager>();
  readonly #idleTimers = new Map<WebSocketManager, TimerHandle>();

  constructor(
    private readonly create: (context: UserContext) => WebSocketManager,
    private readonly idleTtlMs: number,
  ) {}

  /** Managers currently held. */
  get size(): number {
    return this.#managers.size;
  }

  /** The user's manager, created on first use. */
  get(context: UserContext): WebSocketManager {
    let manager = this.#managers.get(context.userId);
    if (manager === undefined) {
      manager = this.create(context);
      this.#managers.set(context.userId, manager);
      this.markIdle(manager);
    }
    return manager;
  }

  /** The user's manager if one is held. */
  peek(userId: string): WebSocketManager | undefined {
    return this.#managers.get(userId);
  }

  /** Every manager held. */
  values(): IterableIterator<WebSocketManager> {
    return this.#managers.values();
  }

  /** Starts the idle countdown of a manager (no-op when already counting). */
  markIdle(manager: WebSocketManager): void {
    if (this.#idleTimers.has(manager) || this.#managers.get(manager.userId) !== manager) return;
    const timer = unrefTimeout(() => {
      this.#idleTimers.delete(manager);
      if (manager.isIdle && this.#managers.get(manager.userId) === manager) {
        this.#managers.delete(manager.userId);
        void manager.evict();
      }
    }, this.idleTtlMs);
    this.#idleTimers.set(manager, timer);
  }

  /** Stops the idle countdown of a manager. */
  markBusy(manager: WebSocketManager): void {
    const timer = this.#idleTimers.get(manager);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#idleTimers.delete(manager);
    }
  }

  /** Evicts every manager (hub close). */
  async clear(): Promise<void> {
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const managers = [...this.#managers.values()];
    this.#managers.clear();
    await Promise.all(managers.map((m) => m.evict()));
  }
}
