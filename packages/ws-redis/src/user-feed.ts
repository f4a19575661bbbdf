import type { Logger } from '@app/logging-ssot';
import type { ReadSinceResult, StreamListener, StreamPosition, StreamRecord } from '@app/ws-core';
import type { ChannelMessage } from './channel-message';

/** How a feed reads the stream when pub/sub is not enough. */
export interface FeedReader {
  position(userId: string): Promise<StreamPosition>;
  readSince(userId: string, afterSeq: number, epoch: string): Promise<ReadSinceResult>;
  /** Resolves when reading may work again (Redis is back); rejects once the engine is closed. */
  whenReadable(): Promise<void>;
}

/** Messages kept while a feed catches up; past that, they are dropped and re-read instead. */
const MAX_PENDING = 10_000;

/**
 * One user's live feed on this node: the user's channel messages, turned into a gapless,
 * ordered delivery to the node's listeners (docs/scaling.md#rule-2-pubsub-is-at-most-once-the-stream-is-the-truth). Pub/sub is at-most-once, so the
 * feed knows the last `seq` it delivered, and on a gap, an unknown epoch or a resubscription it
 * catches up from the stream before delivering anything further; messages that arrive meanwhile
 * wait and are deduplicated by `seq`. A stream found under a new epoch (Redis lost it, or it
 * expired) resets the listeners (rule 3).
 */
export class UserFeed {
  #listeners: readonly StreamListener[] = [];
  #epoch: string | undefined;
  #lastSeq = 0;
  #pending: ChannelMessage[] = [];
  #pendingDropped = false;
  #syncing = false;
  #syncRequested = false;
  #closed = false;

  constructor(
    readonly userId: string,
    private readonly reader: FeedReader,
    private readonly logger: Logger,
  ) {}

  get listenerCount(): number {
    return this.#listeners.length;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** The epoch the feed delivers (undefined before start). */
  get epoch(): string | undefined {
    return this.#epoch;
  }

  /** The last `seq` delivered. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Reads where the stream is; live delivery continues from there. Rejects when unreadable. */
  async start(): Promise<void> {
    this.#syncing = true;
    try {
      const position = await this.reader.position(this.userId);
      this.#epoch = position.epoch;
      this.#lastSeq = position.latestSeq;
    } catch (error) {
      this.#syncing = false;
      throw error;
    }
    this.#syncing = false;
    if (!this.#drainPending() || this.#syncRequested) this.requestSync();
  }

  addListener(listener: StreamListener): void {
    this.#listeners = [...this.#listeners, listener];
  }

  removeListener(listener: StreamListener): void {
    this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  /** A message from the user's channel. */
  receive(message: ChannelMessage | undefined): void {
    if (this.#closed) return;
    if (this.#syncing) {
      if (message === undefined) this.#syncRequested = true;
      else if (this.#pending.length < MAX_PENDING) this.#pending.push(message);
      else this.#pendingDropped = true;
      return;
    }
    if (message === undefined || !this.#apply(message)) this.requestSync();
  }

  /**
   * An append of this node came back: deliver it now when it is exactly the next event (its
   * channel copy is then dropped as a repeat). Anything else is left to the channel.
   */
  offerLocal(epoch: string, record: StreamRecord): void {
    if (
      !this.#closed &&
      !this.#syncing &&
      epoch === this.#epoch &&
      record.seq === this.#lastSeq + 1
    ) {
      this.#deliver(record);
    }
  }

  /** Catch up from the stream before delivering further (gap, resubscription, stream check). */
  requestSync(): void {
    this.#syncRequested = true;
    if (!this.#syncing && !this.#closed && this.#epoch !== undefined) void this.#runSync();
  }

  close(): void {
    this.#closed = true;
    this.#listeners = [];
    this.#pending = [];
  }

  async #runSync(): Promise<void> {
    this.#syncing = true;
    try {
      while (this.#syncRequested && !this.#closed) {
        this.#syncRequested = false;
        try {
          await this.#syncOnce();
        } catch (error) {
          this.#syncRequested = true;
          this.logger.debug('Feed catch-up failed; retrying when Redis is back', {
            userId: this.userId,
            error: error instanceof Error ? error.message : String(error),
          });
          try {
            await this.reader.whenReadable();
          } catch {
            return;
          }
          continue;
        }
        if (!this.#drainPending()) this.#syncRequested = true;
      }
    } finally {
      this.#syncing = false;
    }
  }

  async #syncOnce(): Promise<void> {
    const epoch = this.#epoch as string;
    const read = await this.reader.readSince(this.userId, this.#lastSeq, epoch);
    if (this.#closed) return;
    if (read.epoch !== epoch) {
      this.logger.warn('User stream restarted under a new epoch; resetting its listeners', {
        userId: this.userId,
        epoch: read.epoch,
      });
      this.#epoch = read.epoch;
      this.#lastSeq = 0;
      this.#reset(read.epoch);
      this.#syncRequested = true;
      return;
    }
    if (!read.complete) {
      // The missed events already left retention: continuity cannot be restored.
      this.logger.warn('Missed events are no longer retained; resetting the listeners', {
        userId: this.userId,
        lastSeq: this.#lastSeq,
        oldestSeq: read.oldestSeq,
      });
      this.#lastSeq = read.latestSeq;
      this.#reset(epoch);
      return;
    }
    for (const record of read.records) {
      if (record.seq === this.#lastSeq + 1) this.#deliver(record);
    }
  }

  /** Applies the waiting messages; false when one of them shows a gap (a new catch-up is due). */
  #drainPending(): boolean {
    const pending = this.#pending;
    this.#pending = [];
    const dropped = this.#pendingDropped;
    this.#pendingDropped = false;
    for (let i = 0; i < pending.length; i++) {
      if (!this.#apply(pending[i]!)) {
        this.#pending = pending.slice(i + 1);
        return false;
      }
    }
    return !dropped;
  }

  /** Delivers or drops a message; false when it shows a gap or another epoch. */
  #apply(message: ChannelMessage): boolean {
    if (message.epoch !== this.#epoch) return false;
    const seq = message.record.seq;
    if (seq <= this.#lastSeq) return true;
    if (seq !== this.#lastSeq + 1) return false;
    this.#deliver(message.record);
    return true;
  }

  #deliver(record: StreamRecord): void {
    this.#lastSeq = record.seq;
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!.onEvent(record);
      } catch {
        // A listener's failure must not stop delivery to the others (interface rule).
      }
    }
  }

  #reset(epoch: string): void {
    for (const listener of this.#listeners) {
      try {
        listener.onReset(epoch);
      } catch {
        // Same rule as event delivery.
      }
    }
  }
}
