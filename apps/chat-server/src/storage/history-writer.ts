import type { Logger } from '@app/logging-ssot';
import type { RunCompletionInfo, RunHooks, UserMessageInfo } from '@app/ws-core';
import { describeError } from './describe-error.js';
import type { HistoryStore } from './history-store.js';

/** Options of {@link HistoryWriter}. */
export interface HistoryWriterOptions {
  store: Pick<HistoryStore, 'recordUserMessage' | 'recordRunResult'>;
  logger: Logger;
  /** Background retries of a write whose first attempt failed. Default 5. */
  maxRetries?: number;
  /** Delay before the first retry, in ms; doubled for each next one (±20 % jitter). Default 500. */
  retryDelayMs?: number;
  /** Writes waiting for a retry at most; a failure beyond that is dropped (logged). Default 1000. */
  maxPendingRetries?: number;
  /** The clock of assistant messages' `createdAt`. Default `Date.now`. */
  now?: () => number;
}

/** Who a write is about: every log line of it carries these. */
interface WriteContext {
  readonly write: 'user_message' | 'run_result';
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
}

interface Job {
  readonly context: WriteContext;
  readonly run: () => Promise<void>;
  /** Attempts made so far. */
  attempts: number;
  timer?: NodeJS.Timeout;
}

/**
 * Writes the history from the hub's run hooks (`hooks`, for `createWebSocketHub`).
 *
 * The first attempt of a write is what the hook awaits, and the hub waits for the hook at most
 * its bound (2 s) before emitting the event anyway. A failed attempt is retried in the
 * background, at most `maxRetries` times with doubling delays; at most `maxPendingRetries`
 * writes wait at once — nothing queues without bound. Every failed attempt is logged exactly
 * once, with the user, thread and run: `warn` while a retry follows, `error` when the write is
 * given up. The hooks never reject, so the hub adds no log line of its own for a failure.
 * Writes are idempotent in the store, so a retry after a write that did land changes nothing.
 */
export class HistoryWriter {
  /** Pass as `hooks` to `createWebSocketHub`. */
  readonly hooks: RunHooks;
  readonly #store: HistoryWriterOptions['store'];
  readonly #logger: Logger;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #waiting = new Set<Job>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(options: HistoryWriterOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    this.#maxPending = options.maxPendingRetries ?? 1000;
    this.#now = options.now ?? Date.now;
    this.hooks = {
      onUserMessage: (info) => this.#start(userMessageJob(this.#store, info)),
      beforeRunCompleted: (info) =>
        this.#start(runResultJob(this.#store, info, new Date(this.#now()).toISOString())),
    };
  }

  /** Writes waiting for a background retry now. */
  get pendingRetries(): number {
    return this.#waiting.size;
  }

  /**
   * Stops the retries: each waiting write gets one last attempt now, and running attempts are
   * awaited, all within `timeoutMs`; what has not landed then is dropped (logged once each).
   * Later hook calls are dropped (logged). Call it before closing the store.
   */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const job of this.#waiting) {
      clearTimeout(job.timer);
      void this.#attempt(job);
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
    return this.#attempt(job);
  }

  #attempt(job: Job): Promise<void> {
    const attempt = job.run().then(
      () => undefined,
      (error: unknown) => this.#failed(job, error),
    );
    this.#inFlight.add(attempt);
    void attempt.finally(() => this.#inFlight.delete(attempt));
    return attempt;
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
      void this.#attempt(job);
    }, retryInMs);
    job.timer.unref();
    this.#waiting.add(job);
  }
}

function userMessageJob(store: HistoryWriterOptions['store'], info: UserMessageInfo): Job {
  const { userId, threadId, runId, messageId, text, ts } = info;
  return {
    context: { write: 'user_message', userId, threadId, runId },
    run: () => store.recordUserMessage({ userId, threadId, runId, messageId, text, createdAt: ts }),
    attempts: 0,
  };
}

function runResultJob(
  store: HistoryWriterOptions['store'],
  info: RunCompletionInfo,
  createdAt: string,
): Job {
  const { userId, threadId, runId, payload, input } = info;
  const tools = info.tools.map((tool) => ({
    name: tool.toolName,
    args: tool.args,
    ok: tool.ok,
    durationMs: tool.durationMs,
  }));
  return {
    context: { write: 'run_result', userId, threadId, runId },
    run: () =>
      store.recordRunResult({
        userId,
        threadId,
        runId,
        status: payload.status,
        text: payload.response ?? '',
        tools,
        input,
        createdAt,
      }),
    attempts: 0,
  };
}
