import type { Logger } from '@app/logging-ssot';
import type { RunCompletionInfo, RunHooks, UserMessageInfo } from '@app/ws-core';
import { describeError, isDatabaseRefusal } from './describe-error.js';
import type { HistoryStore, HistoryWrite } from './history-store.js';

/** Options of {@link HistoryWriter}. */
export interface HistoryWriterOptions {
  store: Pick<HistoryStore, 'recordBatch'>;
  logger: Logger;
  /** Background retries of a write whose first attempt failed. Default 5. */
  maxRetries?: number;
  /** Delay before the first retry, in ms; doubled for each next one (±20 % jitter). Default 500. */
  retryDelayMs?: number;
  /** Writes waiting for a retry at most; a failure beyond that is dropped (logged). Default 1000. */
  maxPendingRetries?: number;
  /** Writes in one batch at most. Default 500. */
  maxBatchWrites?: number;
  /** Characters of text (messages and answers) in one batch at most; a longer write goes alone. Default 1,000,000. */
  maxBatchChars?: number;
  /** Batches written at once at most (PGlite has one connection: 1). Default 1. */
  concurrentBatches?: number;
  /** Writes waiting for a batch at most; one more fails at once (to its retries). Default 10,000. */
  maxQueuedWrites?: number;
  /** The clock of assistant messages' `createdAt`. Default `Date.now`. */
  now?: () => number;
}

/** Who a write is about: every log line of it carries these. */
interface WriteContext {
  readonly write: HistoryWrite['kind'];
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
}

interface Job {
  readonly context: WriteContext;
  readonly write: HistoryWrite;
  /** Characters of text it holds, for the batch bound. */
  readonly chars: number;
  /** Attempts made so far. */
  attempts: number;
  timer?: NodeJS.Timeout;
  /** Resolves the hook's promise once the first attempt is over, landed or not. */
  settle?: () => void;
}

/**
 * Writes the history from the hub's run hooks (`hooks`, for `createWebSocketHub`), with group
 * commit: the writes that arrive in one event-loop turn wait for that turn's end (`setImmediate`)
 * and go to the store as one batch — one statement, all or none — of at most `maxBatchWrites`
 * writes and `maxBatchChars` characters; while `concurrentBatches` batches are being written, the
 * next writes gather for the next batch. At most `maxQueuedWrites` wait: nothing queues without
 * bound.
 *
 * The first attempt of a write is what the hook awaits, and the hub waits for the hook at most
 * its bound (2 s) before emitting the event anyway. When a batch fails because the database
 * refused it (an SQLSTATE: one write may be at fault), its writes are written one by one at once,
 * so the others land; when the database did not answer, they fail together. A failed attempt is
 * retried alone in the background, at most `maxRetries` times with doubling delays; at most
 * `maxPendingRetries` writes wait at once. Every failed attempt is logged exactly once, with the
 * user, thread and run: `warn` while a retry follows, `error` when the write is given up (a
 * refused batch adds one `warn` line of its own). The hooks never reject, so the hub adds no log
 * line of its own for a failure. Writes are idempotent in the store, so a retry after a write
 * that did land changes nothing.
 */
export class HistoryWriter {
  /** Pass as `hooks` to `createWebSocketHub`. */
  readonly hooks: RunHooks;
  readonly #store: HistoryWriterOptions['store'];
  readonly #logger: Logger;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #maxPending: number;
  readonly #maxBatchWrites: number;
  readonly #maxBatchChars: number;
  readonly #concurrentBatches: number;
  readonly #maxQueued: number;
  readonly #now: () => number;
  readonly #waiting = new Set<Job>();
  readonly #inFlight = new Set<Promise<void>>();
  /** Writes waiting for a batch, oldest first. */
  #queue: Job[] = [];
  #flushScheduled = false;
  #batchesRunning = 0;
  #closed = false;

  constructor(options: HistoryWriterOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    this.#maxPending = options.maxPendingRetries ?? 1000;
    this.#maxBatchWrites = Math.max(1, options.maxBatchWrites ?? 500);
    this.#maxBatchChars = Math.max(1, options.maxBatchChars ?? 1_000_000);
    this.#concurrentBatches = Math.max(1, options.concurrentBatches ?? 1);
    this.#maxQueued = Math.max(1, options.maxQueuedWrites ?? 10_000);
    this.#now = options.now ?? Date.now;
    this.hooks = {
      onUserMessage: (info) => this.#start(userMessageJob(info)),
      beforeRunCompleted: (info) =>
        this.#start(runResultJob(info, new Date(this.#now()).toISOString())),
    };
  }

  /** Writes waiting for a background retry now. */
  get pendingRetries(): number {
    return this.#waiting.size;
  }

  /**
   * Stops the retries: the writes waiting for a batch are written, each waiting retry gets one
   * last attempt now, and running attempts are awaited, all within `timeoutMs`; what has not
   * landed then is dropped (logged once each). Later hook calls are dropped (logged). Call it
   * before closing the store.
   */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#flush(Number.POSITIVE_INFINITY);
    for (const job of this.#waiting) {
      clearTimeout(job.timer);
      this.#track(this.#attemptAlone(job));
    }
    this.#waiting.clear();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all([...this.#inFlight]), bound]);
    clearTimeout(timer);
  }

  #start(job: Job): Promise<void> {
    if (this.#closed) {
      this.#logger.error('History write dropped: the server is shutting down', {
        ...job.context,
      });
      return Promise.resolve();
    }
    if (this.#queue.length >= this.#maxQueued) {
      this.#failed(
        job,
        new Error(`${this.#maxQueued} history writes already wait for the database`),
      );
      return Promise.resolve();
    }
    const settled = new Promise<void>((resolve) => {
      job.settle = resolve;
    });
    this.#queue.push(job);
    this.#scheduleFlush();
    return settled;
  }

  /** Flushes at the end of this event-loop turn, when a batch may start. */
  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#queue.length === 0) return;
    if (this.#batchesRunning >= this.#concurrentBatches) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (!this.#closed) this.#flush(this.#concurrentBatches);
    });
  }

  /** Starts batches of the queued writes while fewer than `slots` run. */
  #flush(slots: number): void {
    while (this.#batchesRunning < slots && this.#queue.length > 0) {
      const batch = this.#takeBatch();
      this.#batchesRunning += 1;
      this.#track(
        this.#writeBatch(batch).finally(() => {
          this.#batchesRunning -= 1;
          this.#scheduleFlush();
        }),
      );
    }
  }

  /** The oldest queued writes within the bounds (always at least one). */
  #takeBatch(): Job[] {
    let count = 0;
    let chars = 0;
    for (const job of this.#queue) {
      if (count === this.#maxBatchWrites) break;
      if (count > 0 && chars + job.chars > this.#maxBatchChars) break;
      count += 1;
      chars += job.chars;
    }
    const batch = this.#queue.slice(0, count);
    this.#queue = this.#queue.slice(count);
    return batch;
  }

  async #writeBatch(batch: Job[]): Promise<void> {
    try {
      await this.#store.recordBatch(batch.map((job) => job.write));
    } catch (error) {
      if (batch.length > 1 && isDatabaseRefusal(error)) {
        this.#logger.warn('History batch refused by the database; writing its writes one by one', {
          writes: batch.length,
          error: describeError(error),
        });
        await Promise.all(batch.map((job) => this.#attemptAlone(job)));
        return;
      }
      for (const job of batch) {
        this.#failed(job, error);
        job.settle?.();
      }
      return;
    }
    for (const job of batch) job.settle?.();
  }

  /** One attempt of one write in a batch of its own; settles the job's hook. */
  async #attemptAlone(job: Job): Promise<void> {
    try {
      await this.#store.recordBatch([job.write]);
    } catch (error) {
      this.#failed(job, error);
    }
    job.settle?.();
  }

  #track(attempt: Promise<void>): void {
    this.#inFlight.add(attempt);
    void attempt.finally(() => this.#inFlight.delete(attempt));
  }

  #failed(job: Job, error: unknown): void {
    job.attempts += 1;
    const fields = { ...job.context, attempts: job.attempts, error: describeError(error) };
    if (this.#closed) {
      this.#logger.error('History write dropped at shutdown after failing', fields);
      return;
    }
    if (job.attempts > this.#maxRetries) {
      this.#logger.error('History write failed; giving up', fields);
      return;
    }
    if (this.#waiting.size >= this.#maxPending) {
      this.#logger.error('History write failed; dropped: too many writes wait for a retry', {
        ...fields,
        maxPendingRetries: this.#maxPending,
      });
      return;
    }
    const base = this.#retryDelayMs * 2 ** (job.attempts - 1);
    const retryInMs = Math.round(base * (0.8 + Math.random() * 0.4));
    this.#logger.warn('History write failed; retrying in the background', {
      ...fields,
      retryInMs,
    });
    job.timer = setTimeout(() => {
      this.#waiting.delete(job);
      this.#track(this.#attemptAlone(job));
    }, retryInMs);
    job.timer.unref();
    this.#waiting.add(job);
  }
}

function userMessageJob(info: UserMessageInfo): Job {
  const { userId, threadId, runId, messageId, text, ts } = info;
  return {
    context: { write: 'user_message', userId, threadId, runId },
    write: {
      kind: 'user_message',
      record: { userId, threadId, runId, messageId, text, createdAt: ts },
    },
    chars: text.length,
    attempts: 0,
  };
}

function runResultJob(info: RunCompletionInfo, createdAt: string): Job {
  const { userId, threadId, runId, payload, input } = info;
  const tools = info.tools.map((tool) => ({
    name: tool.toolName,
    args: tool.args,
    ok: tool.ok,
    durationMs: tool.durationMs,
    toolCallId: tool.toolCallId,
    ...(tool.result !== undefined ? { result: tool.result } : {}),
    ...(tool.error !== undefined ? { error: tool.error } : {}),
  }));
  const text = payload.response ?? '';
  return {
    context: { write: 'run_result', userId, threadId, runId },
    write: {
      kind: 'run_result',
      record: { userId, threadId, runId, status: payload.status, text, tools, input, createdAt },
    },
    chars: text.length + input.length,
    attempts: 0,
  };
}
