/**
 * The history store against both backends: in-memory PGlite and a dedicated database on the
 * real PostgreSQL (see support/postgres-database.ts). Same tests, same expectations.
 */
import { configureLogging, createLogger } from '@app/logging-ssot';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@app/ws-protocol';
import { codes } from '../src/error-codes.js';
import type { HistoryStore, RunResultRecord } from '../src/storage/history-store.js';
import { createKyselyHistoryStore } from '../src/storage/kysely-history-store.js';
import { MIGRATION_TABLE, knownMigrations, migrateToLatest } from '../src/storage/migrate.js';
import { openDatabase, type Database } from '../src/storage/open-database.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';

configureLogging({ level: 'error' });
const logger = createLogger('history-test');

interface Backend {
  database: Database;
  store: HistoryStore;
}

const backends: [string, () => Promise<{ database: Database; cleanup: () => Promise<void> }>][] = [
  [
    'PGlite (in memory)',
    async () => ({
      database: await openDatabase({ dataDir: 'memory://', logger }),
      cleanup: () => Promise.resolve(),
    }),
  ],
  [
    'PostgreSQL',
    async () => {
      const postgres: TestPostgres = await createTestPostgres();
      return {
        database: await openDatabase({ databaseUrl: postgres.url, dataDir: 'unused', logger }),
        cleanup: () => postgres.drop(),
      };
    },
  ],
];

let clock = Date.parse('2030-01-01T00:00:00.000Z');
/** Strictly increasing ISO times, one second apart. */
function nextTime(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

function userMessage(userId: string, threadId: string, n: number, text = `message ${n}`) {
  return {
    userId,
    threadId,
    runId: `r_${threadId}_${n}`,
    messageId: `m_${threadId}_${n}`,
    text,
    createdAt: nextTime(),
  };
}

function runResult(
  userId: string,
  threadId: string,
  n: number,
  over: Partial<RunResultRecord> = {},
): RunResultRecord {
  return {
    userId,
    threadId,
    runId: `r_${threadId}_${n}`,
    status: 'success',
    text: `answer ${n}`,
    tools: [],
    input: `message ${n}`,
    createdAt: nextTime(),
    ...over,
  };
}

async function expectInvalidCursor(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error, codes.HISTORY_INVALID_CURSOR)).toBe(true);
}

describe.each(backends)('history store on %s', (_name, open) => {
  let backend: Backend;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const opened = await open();
    cleanup = opened.cleanup;
    backend = { database: opened.database, store: createKyselyHistoryStore(opened.database) };
  });

  afterAll(async () => {
    await backend?.store.close();
    await cleanup?.();
  });

  it('migrates from empty, records the migration, and a second run applies nothing', async () => {
    const { db } = backend.database;
    expect(await migrateToLatest(db, logger)).toEqual(knownMigrations());
    expect(await migrateToLatest(db, logger)).toEqual([]);
    const recorded = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db);
    expect(recorded.rows.map((row) => row.name)).toEqual(['0001_init']);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_name like 'chat_%' order by table_name`.execute(db);
    expect(tables.rows.map((row) => row.table_name)).toEqual(['chat_messages', 'chat_threads']);
  });

  it('answers ping', async () => {
    await expect(backend.store.ping()).resolves.toBeUndefined();
  });

  it('stores a user message and the run result, read back oldest first', async () => {
    const { store } = backend;
    const asked = userMessage('alice', 't_golden', 1, 'what is 12*(3+4)?');
    await store.recordUserMessage(asked);
    const answered = runResult('alice', 't_golden', 1, {
      text: '12*(3+4) = 84.',
      tools: [{ name: 'calculator', args: { expression: '12*(3+4)' }, ok: true, durationMs: 3 }],
      input: asked.text,
    });
    await store.recordRunResult(answered);

    const threads = await store.listThreads('alice', { limit: 20 });
    expect(threads).toEqual({
      items: [
        {
          threadId: 't_golden',
          title: 'what is 12*(3+4)?',
          createdAt: asked.createdAt,
          updatedAt: answered.createdAt,
        },
      ],
      nextCursor: null,
    });
    const messages = await store.listMessages('alice', 't_golden', { limit: 20 });
    expect(messages).toEqual({
      items: [
        {
          messageId: asked.messageId,
          role: 'user',
          text: asked.text,
          runId: asked.runId,
          createdAt: asked.createdAt,
        },
        {
          messageId: answered.runId,
          role: 'assistant',
          text: '12*(3+4) = 84.',
          runId: answered.runId,
          status: 'success',
          tools: [
            { name: 'calculator', args: { expression: '12*(3+4)' }, ok: true, durationMs: 3 },
          ],
          createdAt: answered.createdAt,
        },
      ],
      nextCursor: null,
    });
  });

  it('a retried write changes nothing; a late one keeps the order, the title and updatedAt', async () => {
    const { store } = backend;
    const first = userMessage('rita', 't_retry', 1, 'first words of the thread');
    const answer = runResult('rita', 't_retry', 1, { status: 'error', text: '' });
    const second = userMessage('rita', 't_retry', 2, 'second');
    await store.recordUserMessage(first);
    await store.recordUserMessage(second);
    // The first run's result lands late (a background retry), then again (a duplicate retry).
    await store.recordRunResult(answer);
    await store.recordRunResult(answer);
    await store.recordUserMessage(first);

    const page = await store.listMessages('rita', 't_retry', { limit: 20 });
    expect(page?.items.map((m) => [m.role, m.messageId])).toEqual([
      ['user', first.messageId],
      ['assistant', answer.runId],
      ['user', second.messageId],
    ]);
    expect(page?.items[1]).toMatchObject({ status: 'error', text: '' });
    expect(page?.items[1]).not.toHaveProperty('tools');
    const [thread] = (await store.listThreads('rita', { limit: 1 })).items;
    expect(thread).toMatchObject({
      title: 'first words of the thread',
      createdAt: first.createdAt,
      updatedAt: second.createdAt,
    });
  });

  it('a run result whose user message was never stored still makes a titled thread', async () => {
    const { store } = backend;
    await store.recordRunResult(
      runResult('olga', 't_orphan', 1, { input: `  long ${'word '.repeat(30)}` }),
    );
    const [thread] = (await store.listThreads('olga', { limit: 5 })).items;
    expect(thread?.threadId).toBe('t_orphan');
    expect(thread?.title.endsWith('…')).toBe(true);
    expect(Array.from(thread?.title ?? '').length).toBeLessThanOrEqual(60);
  });

  it('pages threads newest first: limit 1, exact multiples, null at the end', async () => {
    const { store } = backend;
    for (let n = 1; n <= 6; n += 1)
      await store.recordUserMessage(userMessage('paula', `t_p${n}`, n));
    const expected = ['t_p6', 't_p5', 't_p4', 't_p3', 't_p2', 't_p1'];
    for (const limit of [1, 2, 3, 6, 7, 100]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await store.listThreads('paula', { limit, ...(cursor ? { cursor } : {}) });
        pages += 1;
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((t) => t.threadId));
        if (page.nextCursor === null) break;
        expect(page.items).toHaveLength(limit);
        cursor = page.nextCursor;
      }
      expect(seen, `limit ${limit}`).toEqual(expected);
      // An exact multiple ends on a full page with nextCursor null: no empty last page.
      expect(pages, `limit ${limit}`).toBe(Math.max(1, Math.ceil(6 / limit)));
    }
    // A thread with a new message moves to the top.
    await store.recordUserMessage(userMessage('paula', 't_p1', 7));
    expect((await store.listThreads('paula', { limit: 1 })).items[0]?.threadId).toBe('t_p1');
  });

  it('pages messages oldest first, ties broken by insertion order', async () => {
    const { store } = backend;
    const at = nextTime();
    for (let n = 1; n <= 5; n += 1) {
      await store.recordUserMessage({ ...userMessage('mia', 't_m', n), createdAt: at });
    }
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listMessages('mia', 't_m', {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...(page?.items.map((m) => m.messageId) ?? []));
      cursor = page?.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(all).toEqual([1, 2, 3, 4, 5].map((n) => `m_t_m_${n}`));
  });

  it('refuses cursors it did not make, or made for the other listing', async () => {
    const { store } = backend;
    await store.recordUserMessage(userMessage('cora', 't_c1', 1));
    await store.recordUserMessage(userMessage('cora', 't_c2', 2));
    const threadsCursor = (await store.listThreads('cora', { limit: 1 })).nextCursor;
    expect(threadsCursor).not.toBeNull();
    await expectInvalidCursor(
      store.listMessages('cora', 't_c1', { limit: 1, cursor: threadsCursor ?? '' }),
    );
    await expectInvalidCursor(store.listThreads('cora', { limit: 1, cursor: 'not-a-cursor!' }));
    await expectInvalidCursor(store.listThreads('cora', { limit: 1, cursor: 'e30' }));
    const forged = Buffer.from(JSON.stringify(['m1', '2030-01-01T00:00:00.000Z', 'x'])).toString(
      'base64url',
    );
    await expectInvalidCursor(store.listMessages('cora', 't_c1', { limit: 1, cursor: forged }));
  });

  it("isolates users: another user's thread does not exist for them", async () => {
    const { store } = backend;
    await store.recordUserMessage(userMessage('ann', 't_shared', 1, 'ann writes'));
    await store.recordUserMessage(userMessage('bob', 't_bob', 1, 'bob writes'));
    expect(await store.listMessages('bob', 't_shared', { limit: 5 })).toBeUndefined();
    expect(await store.deleteThread('bob', 't_shared')).toBe(false);
    expect((await store.listThreads('bob', { limit: 100 })).items.map((t) => t.threadId)).toEqual([
      't_bob',
    ]);
    // The same thread id chosen by two users: two threads.
    await store.recordUserMessage(userMessage('bob', 't_shared', 2, 'bob reuses the id'));
    const anns = await store.listMessages('ann', 't_shared', { limit: 5 });
    const bobs = await store.listMessages('bob', 't_shared', { limit: 5 });
    expect(anns?.items.map((m) => m.text)).toEqual(['ann writes']);
    expect(bobs?.items.map((m) => m.text)).toEqual(['bob reuses the id']);
  });

  it('knows the runs a user had, in any thread, and no other user’s', async () => {
    const { store } = backend;
    await store.recordUserMessage(userMessage('rita', 't_runs_a', 1));
    await store.recordRunResult(runResult('rita', 't_runs_b', 2));
    expect(await store.hasRun('rita', 'r_t_runs_a_1')).toBe(true);
    expect(await store.hasRun('rita', 'r_t_runs_b_2')).toBe(true);
    expect(await store.hasRun('rita', 'r_t_runs_a_2')).toBe(false);
    expect(await store.hasRun('sam', 'r_t_runs_a_1')).toBe(false);
  });

  it('deletes a thread with its messages', async () => {
    const { store, database } = backend;
    await store.recordUserMessage(userMessage('dora', 't_del', 1));
    await store.recordRunResult(runResult('dora', 't_del', 1));
    expect(await store.deleteThread('dora', 't_del')).toBe(true);
    expect(await store.deleteThread('dora', 't_del')).toBe(false);
    expect(await store.listMessages('dora', 't_del', { limit: 5 })).toBeUndefined();
    const left = await database.db
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', 'dora')
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });

  it('keeps working after a failed statement inside a transaction', async () => {
    const { database, store } = backend;
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sql`select * from no_such_table`.execute(trx);
      }),
    ).rejects.toThrow(/no_such_table/);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.recordUserMessage(userMessage('tess', 't_after', 1));
    expect((await store.listThreads('tess', { limit: 5 })).items).toHaveLength(1);
  });
});
