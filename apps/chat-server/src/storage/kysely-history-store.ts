import type { RunStatus } from '@app/ws-protocol';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { decodeCursor, encodeCursor, isInt8Position } from './cursor.js';
import { InvalidCursorError } from './history-errors.js';
import type {
  HistoryMessage,
  HistoryStore,
  HistoryWrite,
  Page,
  PageRequest,
  RunResultRecord,
  ThreadSummary,
  UserMessageRecord,
} from './history-store.js';
import type { Database } from './open-database.js';
import type { HistoryDatabase, MessagesTable, ThreadsTable } from './schema.js';
import { threadTitle } from './thread-title.js';

/** Options of {@link createKyselyHistoryStore}. */
export interface KyselyHistoryStoreOptions {
  /** How long `ping` waits for `select 1`, in ms. Default 1000. */
  pingTimeoutMs?: number;
}

interface MessageRow {
  readonly userId: string;
  readonly threadId: string;
  readonly messageId: string;
  readonly role: 'user' | 'assistant';
  readonly runId: string;
  readonly text: string;
  readonly status: RunStatus | null;
  readonly tools: string | null;
  readonly createdAt: string;
  /** The thread's title when this message creates the thread. */
  readonly title: string;
}

/**
 * The {@link HistoryStore} on Kysely: the same queries for PGlite and PostgreSQL. Each write, or
 * batch of writes, is one statement that upserts the threads (keeping their titles, moving
 * `updated_at` forward only) and inserts the messages unless a message with the same id is
 * already there. Listings
 * are keyset-paged on the indexes of migration 0001. The store owns `database` and closes it.
 */
export function createKyselyHistoryStore(
  database: Database,
  options: KyselyHistoryStoreOptions = {},
): HistoryStore {
  const { db } = database;
  const pingTimeoutMs = options.pingTimeoutMs ?? 1000;

  return {
    recordUserMessage(record: UserMessageRecord) {
      return writeMessages(db, [messageRow({ kind: 'user_message', record })]);
    },

    recordRunResult(record: RunResultRecord) {
      return writeMessages(db, [messageRow({ kind: 'run_result', record })]);
    },

    recordBatch(writes: readonly HistoryWrite[]) {
      return writeMessages(db, writes.map(messageRow));
    },

    async listThreads(userId: string, page: PageRequest): Promise<Page<ThreadSummary>> {
      const after = page.cursor === undefined ? undefined : decodeCursor('threads', page.cursor);
      let query = db
        .selectFrom('chat_threads')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('updated_at', 'desc')
        .orderBy('thread_id', 'desc')
        .limit(page.limit + 1);
      if (after !== undefined) {
        query = query.where(
          sql<boolean>`(updated_at, thread_id) < (${after.at}::timestamptz, ${after.id})`,
        );
      }
      const rows = await query.execute();
      return toPage(rows, page.limit, toThread, (row) =>
        encodeCursor('threads', { at: row.updated_at.toISOString(), id: row.thread_id }),
      );
    },

    async listMessages(
      userId: string,
      threadId: string,
      page: PageRequest,
    ): Promise<Page<HistoryMessage> | undefined> {
      const after = page.cursor === undefined ? undefined : decodeCursor('messages', page.cursor);
      if (after !== undefined && !isInt8Position(after.id)) {
        throw new InvalidCursorError();
      }
      const thread = await db
        .selectFrom('chat_threads')
        .select('thread_id')
        .where('user_id', '=', userId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      if (thread === undefined) return undefined;
      let query = db
        .selectFrom('chat_messages')
        .selectAll()
        .where('user_id', '=', userId)
        .where('thread_id', '=', threadId)
        .orderBy('created_at', 'asc')
        .orderBy('seq', 'asc')
        .limit(page.limit + 1);
      if (after !== undefined) {
        query = query.where(
          sql<boolean>`(created_at, seq) > (${after.at}::timestamptz, ${after.id}::bigint)`,
        );
      }
      const rows = await query.execute();
      return toPage(rows, page.limit, toMessage, (row) =>
        encodeCursor('messages', { at: row.created_at.toISOString(), id: row.seq }),
      );
    },

    async hasThread(userId: string, threadId: string): Promise<boolean> {
      const thread = await db
        .selectFrom('chat_threads')
        .select('thread_id')
        .where('user_id', '=', userId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      return thread !== undefined;
    },

    async hasRun(userId: string, runId: string): Promise<boolean> {
      // The user's messages are one index range (chat_messages_by_thread starts with user_id).
      const message = await db
        .selectFrom('chat_messages')
        .select('seq')
        .where('user_id', '=', userId)
        .where('run_id', '=', runId)
        .limit(1)
        .executeTakeFirst();
      return message !== undefined;
    },

    async deleteThread(userId: string, threadId: string): Promise<boolean> {
      const deleted = await db
        .deleteFrom('chat_threads')
        .where('user_id', '=', userId)
        .where('thread_id', '=', threadId)
        .returning('thread_id')
        .executeTakeFirst();
      return deleted !== undefined;
    },

    async ping(): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the database did not answer within ${pingTimeoutMs} ms`)),
          pingTimeoutMs,
        );
      });
      try {
        await Promise.race([sql`select 1`.execute(db), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    close: () => database.close(),
  };
}

function messageRow(write: HistoryWrite): MessageRow {
  if (write.kind === 'user_message') {
    const { record } = write;
    return {
      ...record,
      role: 'user',
      status: null,
      tools: null,
      title: threadTitle(record.text),
    };
  }
  const { record } = write;
  return {
    userId: record.userId,
    threadId: record.threadId,
    messageId: record.runId,
    role: 'assistant',
    runId: record.runId,
    text: record.text,
    status: record.status,
    tools: record.tools.length > 0 ? JSON.stringify(record.tools) : null,
    createdAt: record.createdAt,
    title: threadTitle(record.input),
  };
}

/**
 * One statement for any number of messages, so one round trip and atomic without an explicit
 * transaction: their threads are upserted in a data-modifying CTE (always executed, even
 * unreferenced) and the messages inserted unless already there. The foreign key is checked at
 * the end of the statement, when the thread rows exist.
 *
 * A statement may not update one row twice, so the threads are merged first: one row per
 * thread, titled after its first message here, spanning its messages' times. They are sorted by
 * key, so concurrent statements lock the rows they share in the same order (no deadlock).
 */
async function writeMessages(
  db: Kysely<HistoryDatabase>,
  rows: readonly MessageRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const threads = new Map<string, Insertable<ThreadsTable>>();
  for (const row of rows) {
    const key = JSON.stringify([row.userId, row.threadId]);
    const thread = threads.get(key);
    if (thread === undefined) {
      threads.set(key, {
        user_id: row.userId,
        thread_id: row.threadId,
        title: row.title,
        created_at: row.createdAt,
        updated_at: row.createdAt,
      });
    } else {
      const at = Date.parse(row.createdAt);
      if (at < Date.parse(thread.created_at)) thread.created_at = row.createdAt;
      if (at > Date.parse(thread.updated_at)) thread.updated_at = row.createdAt;
    }
  }
  const threadRows = [...threads.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, thread]) => thread);
  await db
    .with('thread', (qb) =>
      qb
        .insertInto('chat_threads')
        .values(threadRows)
        .onConflict((oc) =>
          oc.columns(['user_id', 'thread_id']).doUpdateSet({
            // A late (retried) write never moves a thread back in time; the first title stays.
            updated_at: sql<string>`greatest(chat_threads.updated_at, excluded.updated_at)`,
            created_at: sql<string>`least(chat_threads.created_at, excluded.created_at)`,
          }),
        ),
    )
    .insertInto('chat_messages')
    .values(
      rows.map((row) => ({
        user_id: row.userId,
        thread_id: row.threadId,
        message_id: row.messageId,
        role: row.role,
        run_id: row.runId,
        text: row.text,
        status: row.status,
        tools: row.tools,
        created_at: row.createdAt,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'thread_id', 'message_id']).doNothing())
    .execute();
}

function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => string,
): Page<Item> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return {
    items: kept.map(toItem),
    nextCursor: more && last !== undefined ? cursorOf(last) : null,
  };
}

function toThread(row: Selectable<ThreadsTable>): ThreadSummary {
  return {
    threadId: row.thread_id,
    title: row.title,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toMessage(row: Selectable<MessagesTable>): HistoryMessage {
  return {
    messageId: row.message_id,
    role: row.role,
    text: row.text,
    runId: row.run_id,
    ...(row.status !== null ? { status: row.status as RunStatus } : {}),
    ...(row.tools !== null ? { tools: row.tools } : {}),
    createdAt: row.created_at.toISOString(),
  };
}
