import { asError } from './errors';
import type { ChatAck, ChatId } from './stream-engine';

/** Settles a tracked chat: with its ack, or with the error that refused it. */
export interface PendingChat {
  resolve(ack: ChatAck): void;
  reject(error: unknown): void;
}

/**
 * The chats of this node whose setup is under way, by user and client id, so that the same id
 * sent again meanwhile (on this node) waits for the first one's outcome — its ack, or its error
 * — instead of racing it. Once set up, a chat id is remembered by the engine (`admitRun`, on
 * every node), and the entry here is gone. Kept by the hub, so manager eviction is no concern.
 */
export class PendingChats {
  readonly #entries = new Map<string, Promise<ChatAck>>();

  get size(): number {
    return this.#entries.size;
  }

  /** The outcome of a chat with this id being set up on this node, if any. */
  get(userId: string, id: ChatId): Promise<ChatAck> | undefined {
    return this.#entries.get(PendingChats.#key(userId, id));
  }

  /** Tracks a chat being set up under `id` (nothing is tracked without one) until settled. */
  track(userId: string, id: ChatId | undefined): PendingChat {
    let settle!: PendingChat;
    const outcome = new Promise<ChatAck>((resolve, reject) => {
      settle = { resolve, reject: (error) => reject(asError(error)) };
    });
    outcome.catch(() => undefined);
    if (id === undefined) return settle;
    const key = PendingChats.#key(userId, id);
    this.#entries.set(key, outcome);
    const forget = (): void => {
      if (this.#entries.get(key) === outcome) this.#entries.delete(key);
    };
    outcome.then(forget, forget);
    return settle;
  }

  static #key(userId: string, id: ChatId): string {
    return `${userId}\u0000${typeof id}:${id}`;
  }
}
