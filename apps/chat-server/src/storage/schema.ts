import type { ColumnType, Generated } from 'kysely';
import type { ToolCallRecord } from './history-store.js';

/** A `timestamptz`: read as a Date, written as an ISO-8601 string (millisecond precision). */
type Timestamp = ColumnType<Date, string, string>;

/** `chat_threads`: one row per thread of a user; the key is (user_id, thread_id). */
export interface ThreadsTable {
  user_id: string;
  thread_id: string;
  title: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** `chat_messages`: the user's messages and the runs' final responses. */
export interface MessagesTable {
  /** Insertion order, the tie-breaker of messages with the same `created_at` (int8 → string). */
  seq: Generated<string>;
  user_id: string;
  thread_id: string;
  /** Unique per thread: a retried write is a no-op. */
  message_id: string;
  role: 'user' | 'assistant';
  run_id: string;
  text: string;
  /** Assistant messages: the run's status. */
  status: string | null;
  /** Assistant messages: the tool calls, as JSON. */
  tools: ColumnType<ToolCallRecord[] | null, string | null, never>;
  created_at: ColumnType<Date, string, never>;
}

/** The tables of the history database, as Kysely sees them. */
export interface HistoryDatabase {
  chat_threads: ThreadsTable;
  chat_messages: MessagesTable;
}
