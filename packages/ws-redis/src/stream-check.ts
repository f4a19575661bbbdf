import type { FanoutSubscriber } from './fanout-subscriber';
import type { NodeBatch } from './node-batch';
import type { StreamKeys } from './stream-keys';

/** What the stream check needs. */
export interface StreamCheckDeps {
  readonly batch: NodeBatch;
  readonly keys: StreamKeys;
  readonly fanout: FanoutSubscriber;
  readonly maxAgeMs: number;
  /** Whether commands can be sent now (a pass is skipped otherwise). */
  isUsable(): boolean;
}

/**
 * The periodic check of every user this node is subscribed for: keeps the stream alive while it
 * has listeners, and makes a feed catch up when the stream is gone or under another epoch (rule
 * 3) or ahead of what the feed delivered — a live message lost with nothing after it, such as a
 * run's final `agent_completed` (rule 2). One batch call per shard per pass (`node-batch.ts`).
 */
export class StreamCheck {
  #timer: ReturnType<typeof setInterval> | undefined;
  #running = false;

  constructor(private readonly deps: StreamCheckDeps) {}

  start(intervalMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.run(), intervalMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass over the subscribed users. */
  async run(): Promise<void> {
    const { batch, keys, fanout, maxAgeMs } = this.deps;
    if (this.#running || !this.deps.isUsable()) return;
    this.#running = true;
    try {
      const checks: Promise<void>[] = [];
      for (const user of fanout.subscribedUsers()) {
        if (user.epoch === undefined) continue;
        const meta = keys.meta(user.userId);
        const events = keys.events(user.userId);
        const ttl = maxAgeMs * 2;
        const check = batch
          .run([meta, events], (k) => ({ o: 'touch', k: k(meta), v: k(events), ttl }))
          .then(
            (reply) => {
              const epoch = Array.isArray(reply) ? reply[0] : undefined;
              const latestSeq = Array.isArray(reply) ? reply[1] : undefined;
              const behind = typeof latestSeq === 'number' && latestSeq > user.lastSeq;
              if (epoch !== user.epoch || behind) user.resync();
            },
            () => undefined,
          );
        checks.push(check);
      }
      await Promise.all(checks);
    } finally {
      this.#running = false;
    }
  }
}
