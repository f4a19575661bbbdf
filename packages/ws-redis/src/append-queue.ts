import type { Logger } from '@app/logging-ssot';
import { EngineUnavailableError, WsCoreError } from '@app/ws-core';
import { ErrorReply } from 'redis';
import { delay } from './delay';
import type { RedisHealth } from './redis-health';

/** Bounds of the appends waiting for Redis (docs/scaling.md#rule-6-outage). */
export interface AppendBufferSettings {
  /** Appends waiting at once, all users together. Default 10000. */
  readonly maxEvents: number;
  /** Their JSON, in UTF-16 code units, all together. Default 16 MiB. */
  readonly maxBytes: number;
}

interface Job {
  readonly bytes: number;
  readonly attempt: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Replies after which the same command succeeds later (loading, failover, busy script). */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN|READONLY)\b/;

/**
 * The order keeper and outage buffer of appends. Each user has a FIFO with at most one append in
 * flight, so appends take effect in call order (the interface rule) even across a `NOSCRIPT`
 * retry or a reconnection. While Redis is unreachable, appends wait here — within
 * {@link AppendBufferSettings}, past which they are refused with `EngineUnavailableError` (the
 * hub then aborts the run) — and are written in order once it is back. An attempt whose reply was
 * lost with the connection is retried with the same append id, which the script recognises, so a
 * retry never appends twice.
 */
export class AppendQueue {
  readonly #queues = new Map<string, Job[]>();
  #count = 0;
  #bytes = 0;
  #fullLogged = false;
  #closed = false;

  constructor(
    private readonly settings: AppendBufferSettings,
    private readonly health: RedisHealth,
    private readonly logger: Logger,
    private readonly retryAfterMs: number,
  ) {
    health.onCommandReady(() => {
      this.#fullLogged = false;
    });
  }

  /** Appends waiting or in flight. */
  get size(): number {
    return this.#count;
  }

  /**
   * Queues `attempt` behind the user's earlier appends. `attempt` may run more than once (after
   * a lost connection) and must be idempotent; it throws a `WsCoreError` for final refusals.
   */
  enqueue<T>(userId: string, bytes: number, attempt: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#unavailable('The Redis engine is closed.'));
    if (this.#count >= this.settings.maxEvents || this.#bytes + bytes > this.settings.maxBytes) {
      if (!this.#fullLogged) {
        this.#fullLogged = true;
        this.logger.warn('Append buffer full; refusing appends until Redis catches up', {
          buffered: this.#count,
          bufferedBytes: this.#bytes,
        });
      }
      return Promise.reject(
        this.#unavailable(`Redis is unreachable and ${this.#count} appends are already waiting.`),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = { bytes, attempt, resolve: resolve as (value: unknown) => void, reject };
      this.#count++;
      this.#bytes += bytes;
      const queue = this.#queues.get(userId);
      if (queue !== undefined) {
        queue.push(job);
        return;
      }
      const fresh = [job];
      this.#queues.set(userId, fresh);
      void this.#drain(userId, fresh);
    });
  }

  /** Refuses everything still waiting. Idempotent. */
  close(): void {
    this.#closed = true;
  }

  async #drain(userId: string, queue: Job[]): Promise<void> {
    for (let job = queue[0]; job !== undefined; job = queue[0]) {
      try {
        job.resolve(await this.#attempt(job));
      } catch (error) {
        job.reject(error);
      }
      queue.shift();
      this.#count--;
      this.#bytes -= job.bytes;
    }
    this.#queues.delete(userId);
  }

  async #attempt(job: Job): Promise<unknown> {
    for (let failures = 0; ; failures++) {
      if (this.#closed) throw this.#unavailable('The Redis engine is closed.');
      if (!this.health.commandReady) {
        try {
          await this.health.whenCommandReady();
        } catch {
          throw this.#unavailable('The Redis engine is closed.');
        }
        continue;
      }
      try {
        return await job.attempt();
      } catch (error) {
        if (error instanceof WsCoreError) throw error;
        // The connection was lost with the command in flight: wait for it and retry.
        if (!this.health.commandReady) continue;
        if (error instanceof ErrorReply && TRANSIENT_REPLY.test(error.message)) {
          await delay(Math.min(1000, 20 * 2 ** Math.min(failures, 6)));
          continue;
        }
        const reason = error instanceof Error ? error.message : String(error);
        throw this.#unavailable(`Redis refused the append: ${reason}`, error);
      }
    }
  }

  #unavailable(message: string, cause?: unknown): EngineUnavailableError {
    return new EngineUnavailableError(message, this.retryAfterMs, cause);
  }
}
