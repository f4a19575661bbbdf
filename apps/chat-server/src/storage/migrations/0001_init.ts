/**
 * 0001: threads and messages. Migrations are history: once released, a migration is never
 * edited; a change is a new file listed after it in `migrate.ts`.
 */
import { sql, type Kysely } from 'kysely';

/** Creates `chat_threads` and `chat_messages` with their indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table chat_threads (
      user_id text not null,
      thread_id text not null,
      title text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (user_id, thread_id)
    )`.execute(db);
  // "The user's threads, newest first" is one index range scan.
  await sql`
    create index chat_threads_by_user_updated
      on chat_threads (user_id, updated_at desc, thread_id desc)`.execute(db);
  await sql`
    create table chat_messages (
      seq bigint generated always as identity primary key,
      user_id text not null,
      thread_id text not null,
      message_id text not null,
      role text not null check (role in ('user', 'assistant')),
      run_id text not null,
      text text not null,
      status text,
      tools jsonb,
      created_at timestamptz not null,
      unique (user_id, thread_id, message_id),
      foreign key (user_id, thread_id)
        references chat_threads (user_id, thread_id) on delete cascade
    )`.execute(db);
  // "A thread's messages, oldest first" is one index range scan.
  await sql`
    create index chat_messages_by_thread
      on chat_messages (user_id, thread_id, created_at, seq)`.execute(db);
}
