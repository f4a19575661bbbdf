import type { Logger } from '@app/logging-ssot';
import { RateLimitedError, type ChatAdmissionInfo } from '@app/ws-core';
import type { AttemptLimiter } from '@app/ws-routes';
import type { HistoryStore } from './storage/history-store.js';

/** What {@link threadLimitAdmission} needs. */
export interface ThreadLimitDeps {
  /** Tells whether a named thread exists already (a chat to it starts no new one). */
  store: Pick<HistoryStore, 'hasThread'>;
  /** Counts new threads per user (`THREADS_PER_MINUTE`). */
  limiter: AttemptLimiter;
  logger: Logger;
}

/**
 * The hub's `admitChat` hook that bounds the stored history one user can grow: each `chat` that
 * starts a thread — it names none, or one the user does not have — takes one from the user's
 * allowance of new threads per minute; past it the chat is refused with ws-core's
 * `RateLimitedError` (`error rate_limited` with `retryAfterMs`, docs/security.md#new-threads).
 * Chats to existing threads are not counted. When the database cannot say whether a thread
 * exists, the chat counts as a new thread.
 */
export function threadLimitAdmission(
  deps: ThreadLimitDeps,
): (info: ChatAdmissionInfo) => Promise<void> {
  return async ({ userId, threadId, threadIdGiven }) => {
    if (threadIdGiven) {
      const exists = await deps.store.hasThread(userId, threadId).catch((error: unknown) => {
        deps.logger.warn('Could not tell whether a thread exists; counting it as new', {
          error: error instanceof Error ? error.message : String(error),
        });
        return false;
      });
      if (exists) return;
    }
    const decision = await deps.limiter.consume(userId);
    if (!decision.allowed) {
      throw new RateLimitedError('Too many new threads; try again later', decision.retryAfterMs);
    }
  };
}
