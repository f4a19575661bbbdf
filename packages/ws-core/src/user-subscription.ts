import type { Logger } from '@app/logging-ssot';
import type {
  StreamEngine,
  StreamListener,
  StreamRecord,
  StreamSubscription,
} from './stream-engine';
import { unrefTimeout } from './timers';

/** Where a user's subscription hands its records. @internal */
export interface SubscriptionSink {
  /** Delivers a record to every connection of the user on this node. */
  readonly deliver: (record: StreamRecord) => void;
  /** The user's stream was reset to a new `epoch`. */
  readonly reset: (epoch: string) => void;
}

interface DeliveryWaiter {
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A manager's subscription to its user's stream in the engine, made on the first connection,
 * and how far it has delivered: the hub's drain waits on that before closing connections.
 * @internal
 */
export class UserSubscription {
  readonly #engine: StreamEngine;
  readonly #userId: string;
  readonly #logger: Logger;
  readonly #listener: StreamListener;
  #subscription: Promise<StreamSubscription> | undefined;
  #deliveredSeq = 0;
  #waiters: DeliveryWaiter[] = [];

  constructor(engine: StreamEngine, userId: string, logger: Logger, sink: SubscriptionSink) {
    this.#engine = engine;
    this.#userId = userId;
    this.#logger = logger;
    this.#listener = {
      onEvent: (record: StreamRecord): void => {
        sink.deliver(record);
        this.#deliveredSeq = record.seq;
        if (this.#waiters.length > 0) this.#settleWaiters();
      },
      onReset: (epoch: string): void => {
        this.#deliveredSeq = 0;
        sink.reset(epoch);
      },
    };
  }

  /** Subscribes unless subscribed; a failed subscription is forgotten so the next call retries. */
  ensure(): Promise<StreamSubscription> {
    if (this.#subscription === undefined) {
      const subscription = this.#engine.subscribe(this.#userId, this.#listener);
      this.#subscription = subscription;
      subscription.catch(() => {
        if (this.#subscription === subscription) this.#subscription = undefined;
      });
    }
    return this.#subscription;
  }

  /**
   * Resolves when `seq` has been delivered (at once when there is no subscription), or after
   * `timeoutMs`.
   */
  whenDelivered(seq: number, timeoutMs: number): Promise<void> {
    if (this.#subscription === undefined || this.#deliveredSeq >= seq) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = unrefTimeout(resolve, timeoutMs);
      this.#waiters.push({
        seq,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Releases every waiter and unsubscribes (a failure is logged, not thrown). */
  async close(): Promise<void> {
    const subscription = this.#subscription;
    this.#subscription = undefined;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    if (subscription !== undefined) {
      try {
        await (await subscription).unsubscribe();
      } catch (error) {
        this.#logger.warn('Unsubscribing an evicted manager failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  #settleWaiters(): void {
    const delivered = this.#deliveredSeq;
    const waiting: DeliveryWaiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.seq <= delivered) waiter.resolve();
      else waiting.push(waiter);
    }
    this.#waiters = waiting;
  }
}
