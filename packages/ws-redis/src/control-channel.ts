import type { Logger } from '@app/logging-ssot';
import type { ControlMessage } from '@app/ws-core';
import type { CommandSender } from './lua-script';
import { type PubSubMode, publishCommand } from './pubsub-mode';
import type { RedisClientLike } from './redis-client';

function isControlMessage(value: unknown): value is ControlMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    m.type === 'cancel_run' &&
    typeof m.userId === 'string' &&
    typeof m.runId === 'string' &&
    typeof m.origin === 'string'
  );
}

/**
 * Control messages between nodes (`cancel_run`: the node that owns a run cancels it) on
 * pub/sub channels that every node subscribes to — this node included, so a message reaches the
 * local listeners the same way. A message about a user goes to that user's shard of the channel
 * (`StreamKeys.control`), so in a cluster no single slot carries all of it
 * (docs/scaling.md#rule-8-redis-cluster).
 */
export class ControlChannel {
  #listeners: readonly ((message: ControlMessage) => void)[] = [];
  readonly #handler = (raw: string): void => this.#receive(raw);

  constructor(
    private readonly channels: readonly string[],
    private readonly channelOf: (userId: string) => string,
    private readonly logger: Logger,
  ) {}

  /**
   * Subscribes the node to every shard, with sharded pub/sub when `mode` says so (node-redis
   * resubscribes by itself after a reconnection).
   */
  async subscribe(subscriber: RedisClientLike, mode: PubSubMode): Promise<void> {
    await Promise.all(
      this.channels.map((channel) =>
        mode === 'sharded'
          ? subscriber.SSUBSCRIBE(channel, this.#handler)
          : subscriber.SUBSCRIBE(channel, this.#handler),
      ),
    );
  }

  async publish(client: CommandSender, message: ControlMessage, mode: PubSubMode): Promise<void> {
    const { type, userId, runId, origin } = message;
    await client.sendCommand([
      publishCommand(mode),
      this.channelOf(userId),
      JSON.stringify({ type, userId, runId, origin }),
    ]);
  }

  /** Registers a listener; returns its removal. */
  listen(listener: (message: ControlMessage) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  close(): void {
    this.#listeners = [];
  }

  #receive(raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      message = undefined;
    }
    if (!isControlMessage(message)) {
      this.logger.warn('Ignoring a malformed control message', { length: raw.length });
      return;
    }
    for (const listener of this.#listeners) {
      try {
        listener(message);
      } catch {
        // One listener's failure must not keep the message from the others.
      }
    }
  }
}
