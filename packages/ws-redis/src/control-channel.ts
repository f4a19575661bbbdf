import type { Logger } from '@app/logging-ssot';
import type { ControlMessage } from '@app/ws-core';
import type { CommandSender } from './lua-script';
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
 * Control messages between nodes (`cancel_run`: the node that owns a run cancels it) on one
 * classic pub/sub channel that every node subscribes to — this node included, so a message
 * reaches the local listeners the same way. Control is rare, so one channel is enough.
 */
export class ControlChannel {
  #listeners: readonly ((message: ControlMessage) => void)[] = [];
  readonly #handler = (raw: string): void => this.#receive(raw);

  constructor(
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  /** Subscribes the node (node-redis resubscribes by itself after a reconnection). */
  subscribe(subscriber: RedisClientLike): Promise<void> {
    return subscriber.SUBSCRIBE(this.channel, this.#handler);
  }

  async publish(client: CommandSender, message: ControlMessage): Promise<void> {
    const { type, userId, runId, origin } = message;
    await client.sendCommand([
      'PUBLISH',
      this.channel,
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
