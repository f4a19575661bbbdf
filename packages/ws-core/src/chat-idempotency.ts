import { asError } from './errors';

/** What a `chat` was answered with (its ack). */
export interface ChatAck {
  readonly runId: string;
  readonly threadId: string;
}

/** Settles a tracked chat (see {@link ChatIdempotency.track}). */
export interface ChatSettle {
  accepted(ack: ChatAck): void;
  failed(error: unknown): void;
}

interface Entry {
  readonly ack: Promise<ChatAck>;
  readonly expiresAt: number;
}

/**
 * Remembers each user's chat ids for `ttlMs`, so a resent `chat` gets the original ack and
 * starts no second run. Kept by the hub rather than the manager: it must survive the eviction
 * of an idle manager. Entries share one TTL, so insertion order is expiry order and purging
 * from the front keeps memory bounded without a timer.
 */
export class ChatIdempotency {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The ack of an earlier chat with this id, if still remembered. */
  get(userId: string, id: string | number): Promise<ChatAck> | undefined {
    this.#purge(Date.now());
    return this.#entries.get(ChatIdempotency.#key(userId, id))?.ack;
  }

  /** Remembers `ack` for this id; a rejected ack is forgotten so that a retry can succeed. */
  remember(userId: string, id: string | number, ack: Promise<ChatAck>): void {
    const now = Date.now();
    this.#purge(now);
    const key = ChatIdempotency.#key(userId, id);
    this.#entries.set(key, { ack, expiresAt: now + this.ttlMs });
    ack.catch(() => {
      if (this.#entries.get(key)?.ack === ack) this.#entries.delete(key);
    });
  }

  /**
   * Starts the ack of a chat being set up, remembered under `id` unless that is undefined, and
   * returns what settles it: `accepted(ack)` resolves it (the run id is known once the run is
   * claimed), `failed(error)` rejects it (and the id is forgotten).
   */
  track(userId: string, id: string | number | undefined): ChatSettle {
    let settle!: ChatSettle;
    const acked = new Promise<ChatAck>((resolve, reject) => {
      settle = { accepted: resolve, failed: (error) => reject(asError(error)) };
    });
    acked.catch(() => undefined);
    if (id !== undefined) this.remember(userId, id, acked);
    return settle;
  }

  #purge(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(key);
    }
  }

  static #key(userId: string, id: string | number): string {
    return `${userId}\u0000${typeof id}:${id}`;
  }
}
