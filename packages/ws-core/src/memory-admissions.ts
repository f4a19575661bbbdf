import type { ChatAck, ChatId } from './stream-engine';

interface RememberedChat {
  readonly ack: ChatAck;
  readonly expiresAt: number;
}

/**
 * The in-memory engine's part of `admitRun`: each user's runs with a lease (counted against
 * `maxRuns` until their lease ends) and the chat ids they were admitted under, each remembered
 * for its TTL. Entries are purged from the front of the insertion order while expired, so
 * memory stays bounded without a timer (with one TTL for every id, as a hub uses, insertion
 * order is expiry order).
 */
export class MemoryAdmissions {
  readonly #runs = new Map<string, Set<string>>();
  readonly #chats = new Map<string, RememberedChat>();

  /** The ack recorded for this chat id, if still remembered. */
  ackOf(userId: string, chatId: ChatId, now: number): ChatAck | undefined {
    this.#purge(now);
    return this.#chats.get(chatKey(userId, chatId))?.ack;
  }

  /** How many runs of the user hold a lease. */
  runCount(userId: string): number {
    return this.#runs.get(userId)?.size ?? 0;
  }

  /** Counts the run and records `ack` under `chatId` (when given) until `now + ttlMs`. */
  admit(
    userId: string,
    ack: ChatAck,
    chatId: ChatId | undefined,
    ttlMs: number,
    now: number,
  ): void {
    let runs = this.#runs.get(userId);
    if (runs === undefined) {
      runs = new Set();
      this.#runs.set(userId, runs);
    }
    runs.add(ack.runId);
    if (chatId === undefined) return;
    const key = chatKey(userId, chatId);
    this.#chats.delete(key);
    this.#chats.set(key, { ack, expiresAt: now + ttlMs });
  }

  /** The run's lease ended: it no longer counts. */
  runEnded(userId: string, runId: string): void {
    const runs = this.#runs.get(userId);
    if (runs === undefined) return;
    runs.delete(runId);
    if (runs.size === 0) this.#runs.delete(userId);
  }

  /** Forgets `chatId` when it still names `runId`. */
  forget(userId: string, chatId: ChatId, runId: string): void {
    const key = chatKey(userId, chatId);
    if (this.#chats.get(key)?.ack.runId === runId) this.#chats.delete(key);
  }

  clear(): void {
    this.#runs.clear();
    this.#chats.clear();
  }

  #purge(now: number): void {
    for (const [key, entry] of this.#chats) {
      if (entry.expiresAt > now) break;
      this.#chats.delete(key);
    }
  }
}

function chatKey(userId: string, chatId: ChatId): string {
  return `${userId}\u0000${typeof chatId}:${chatId}`;
}
