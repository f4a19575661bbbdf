import type { Logger } from '@app/logging-ssot';
import type { StreamListener, StreamRecord, StreamSubscription } from '@app/ws-core';
import { decodeChannelMessage } from './channel-message';
import type { PubSubMode } from './pubsub-mode';
import type { MessageHandler, RedisClientLike } from './redis-client';
import type { StreamKeys } from './stream-keys';
import { type FeedReader, UserFeed } from './user-feed';

/** What the fan-out needs from the engine. */
export interface FanoutDeps {
  readonly subscriber: RedisClientLike;
  readonly keys: StreamKeys;
  readonly reader: FeedReader;
  readonly logger: Logger;
  /** Resolves with the pub/sub mode (once known); rejects when Redis cannot be used now. */
  mode(): Promise<PubSubMode>;
  /** Throws `EngineUnavailableError` when subscriptions cannot be made now. */
  ensureUsable(): Promise<void>;
}

interface FeedEntry {
  readonly feed: UserFeed;
  readonly handler: MessageHandler;
  /** Settles once subscribed and positioned (rejects when that failed). */
  started: Promise<void>;
  /** How the channel was subscribed, once it was. */
  subscribed: PubSubMode | undefined;
}

/**
 * Live fan-out over Redis pub/sub: a node subscribes to a user's channel only while it has a
 * listener for that user, and unsubscribes when the last one leaves. Each subscribed user has a
 * {@link UserFeed} that makes the at-most-once channel gapless.
 */
export class FanoutSubscriber {
  readonly #feeds = new Map<string, FeedEntry>();

  constructor(private readonly deps: FanoutDeps) {}

  /** Users this node is subscribed for. */
  get userCount(): number {
    return this.#feeds.size;
  }

  async subscribe(userId: string, listener: StreamListener): Promise<StreamSubscription> {
    for (;;) {
      const entry = this.#feeds.get(userId) ?? this.#open(userId);
      await entry.started;
      // The last listener may have left while this call waited: then start over.
      if (this.#feeds.get(userId) !== entry || entry.feed.isClosed) continue;
      entry.feed.addListener(listener);
      let active = true;
      return {
        unsubscribe: async (): Promise<void> => {
          if (!active) return;
          active = false;
          entry.feed.removeListener(listener);
          if (entry.feed.listenerCount === 0) await this.#close(userId, entry);
        },
      };
    }
  }

  /** An append of this node came back (see {@link UserFeed.offerLocal}). */
  offerLocal(userId: string, epoch: string, record: StreamRecord): void {
    this.#feeds.get(userId)?.feed.offerLocal(epoch, record);
  }

  /** Every feed catches up from the stream (after the subscriber connection came back). */
  resyncAll(): void {
    for (const { feed } of this.#feeds.values()) feed.requestSync();
  }

  /** The subscribed users, their epochs and last delivered seqs (for the stream check). */
  *subscribedUsers(): Iterable<{
    userId: string;
    epoch: string | undefined;
    lastSeq: number;
    resync(): void;
  }> {
    for (const [userId, { feed }] of this.#feeds) {
      yield { userId, epoch: feed.epoch, lastSeq: feed.lastSeq, resync: () => feed.requestSync() };
    }
  }

  /** Forgets every feed (the subscriber connection is closed by its owner). */
  close(): void {
    for (const { feed } of this.#feeds.values()) feed.close();
    this.#feeds.clear();
  }

  #open(userId: string): FeedEntry {
    const feed = new UserFeed(userId, this.deps.reader, this.deps.logger);
    const handler: MessageHandler = (message) => feed.receive(decodeChannelMessage(message));
    const entry: FeedEntry = { feed, handler, started: Promise.resolve(), subscribed: undefined };
    const started = (async (): Promise<void> => {
      await this.deps.ensureUsable();
      const mode = await this.deps.mode();
      const channel = this.deps.keys.live(userId);
      if (mode === 'sharded') await this.deps.subscriber.SSUBSCRIBE(channel, handler);
      else await this.deps.subscriber.SUBSCRIBE(channel, handler);
      entry.subscribed = mode;
      await feed.start();
    })();
    entry.started = started;
    this.#feeds.set(userId, entry);
    started.catch(() => {
      if (this.#feeds.get(userId) === entry && entry.feed.listenerCount === 0) {
        void this.#close(userId, entry);
      }
    });
    return entry;
  }

  async #close(userId: string, entry: FeedEntry): Promise<void> {
    if (this.#feeds.get(userId) === entry) this.#feeds.delete(userId);
    entry.feed.close();
    if (entry.subscribed === undefined) {
      // Still subscribing: undo it once that settles, without making the caller wait.
      void entry.started.then(
        () => this.#unsubscribeChannel(userId, entry),
        () => this.#unsubscribeChannel(userId, entry),
      );
      return;
    }
    await this.#unsubscribeChannel(userId, entry);
  }

  /**
   * Unsubscribes the feed's channel. node-redis drops the handler at once; the command itself is
   * awaited only on a live connection (during an outage it waits in the offline queue, still
   * ordered before any later subscription of the same channel).
   */
  async #unsubscribeChannel(userId: string, entry: FeedEntry): Promise<void> {
    const mode = entry.subscribed;
    if (mode === undefined) return;
    const channel = this.deps.keys.live(userId);
    const { subscriber } = this.deps;
    const done = (
      mode === 'sharded'
        ? subscriber.SUNSUBSCRIBE(channel, entry.handler)
        : subscriber.UNSUBSCRIBE(channel, entry.handler)
    ).catch(() => undefined);
    if (subscriber.isReady) await done;
  }
}
