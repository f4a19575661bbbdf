import type { RunStatus } from '@app/ws-protocol';

/** One thread of a user, as listed by `GET /api/v1/threads`. */
export interface ThreadSummary {
  readonly threadId: string;
  /** The thread's first message, shortened to about 60 characters. */
  readonly title: string;
  /** ISO-8601. */
  readonly createdAt: string;
  /** ISO-8601: the latest message's time. Threads are listed newest first by it. */
  readonly updatedAt: string;
}

/** A compact record of one tool call of a run. */
export interface ToolCallRecord {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly ok: boolean;
  readonly durationMs: number;
  /** The call's id in the run's events (absent in records written before it was kept). */
  readonly toolCallId?: string;
  /** The tool's result, when `ok` and it gave one (for the AI SDK's tool parts). */
  readonly result?: unknown;
  /** Why it failed, when not `ok`. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** One message of a thread, as listed by `GET /api/v1/threads/:threadId/messages`. */
export interface HistoryMessage {
  /** The `user_message` event's `messageId`; an assistant message's is its `runId`. */
  readonly messageId: string;
  readonly role: 'user' | 'assistant';
  /** The user's text, or the run's final response (`''` when the run had none). */
  readonly text: string;
  readonly runId: string;
  /** Assistant messages only: how the run ended. */
  readonly status?: RunStatus;
  /** Assistant messages only, when the run called tools: its calls in order. */
  readonly tools?: readonly ToolCallRecord[];
  /** ISO-8601. */
  readonly createdAt: string;
}

/** A user's chat message, written before its `user_message` event is emitted. */
export interface UserMessageRecord {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly messageId: string;
  readonly text: string;
  /** ISO-8601 (the event's `ts`). */
  readonly createdAt: string;
}

/** A run's final response, written before its `agent_completed` event is emitted. */
export interface RunResultRecord {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly status: RunStatus;
  /** The final response; `''` when there is none. */
  readonly text: string;
  readonly tools: readonly ToolCallRecord[];
  /** The run's input: the thread's title when this run's user message was never stored. */
  readonly input: string;
  /** ISO-8601. */
  readonly createdAt: string;
}

/** One write of the history, for {@link HistoryStore.recordBatch}. */
export type HistoryWrite =
  | { readonly kind: 'user_message'; readonly record: UserMessageRecord }
  | { readonly kind: 'run_result'; readonly record: RunResultRecord };

/** One page of a listing; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Which page: at most `limit` items after the one `cursor` names (from the first without). */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Conversation history: threads and messages per user. Writes are idempotent (a retried write
 * never duplicates a message), so a caller may retry any write that failed or timed out. Every
 * read is scoped to one user: another user's thread does not exist for it.
 */
export interface HistoryStore {
  /** Stores a user's message, creating its thread (titled after it) when new. */
  recordUserMessage(record: UserMessageRecord): Promise<void>;
  /** Stores a run's final response as the thread's assistant message keyed by `runId`. */
  recordRunResult(record: RunResultRecord): Promise<void>;
  /**
   * Stores several writes at once, all or none (group commit): one multi-row upsert of their
   * threads and one multi-row insert of their messages, in one statement. Each write means what
   * its single call means, in the order given; an empty list is a no-op.
   */
  recordBatch(writes: readonly HistoryWrite[]): Promise<void>;
  /**
   * The user's threads, newest first by `updatedAt`.
   * @throws InvalidCursorError (`HISTORY_INVALID_CURSOR`) for a cursor it did not make.
   */
  listThreads(userId: string, page: PageRequest): Promise<Page<ThreadSummary>>;
  /**
   * A thread's messages, oldest first; `undefined` when the user has no such thread.
   * @throws InvalidCursorError (`HISTORY_INVALID_CURSOR`) for a cursor it did not make.
   */
  listMessages(
    userId: string,
    threadId: string,
    page: PageRequest,
  ): Promise<Page<HistoryMessage> | undefined>;
  /** Whether the user has this thread. */
  hasThread(userId: string, threadId: string): Promise<boolean>;
  /**
   * Whether the user has a message of this run in any thread (a run the user had, after its
   * events left the stream's retention: AG-UI answers 410 for it, and never reuses its id).
   */
  hasRun(userId: string, runId: string): Promise<boolean>;
  /** Deletes a thread with its messages; false when the user has no such thread. */
  deleteThread(userId: string, threadId: string): Promise<boolean>;
  /** Resolves when the database answers `select 1`; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes the database (its pool, or the embedded database). Idempotent. */
  close(): Promise<void>;
}
