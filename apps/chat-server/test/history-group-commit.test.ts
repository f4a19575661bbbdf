/**
 * History group commit against both backends (in-memory PGlite and a dedicated database on the
 * real PostgreSQL): the writes of many runs in one event-loop turn land in one transaction (the
 * rows share their `xmin`, the id of the transaction that wrote them), batches keep their bound,
 * and a batch the database refuses is written one by one: every other write lands exactly once.
 */
import { captureLogs, createLogger, type LogCapture } from '@app/logging-ssot';
import type { RunCompletionInfo, UserMessageInfo } from '@app/ws-core';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryStore } from '../src/storage/history-store.js';
import { HistoryWriter, type HistoryWriterOptions } from '../src/storage/history-writer.js';
import { createKyselyHistoryStore } from '../src/storage/kysely-history-store.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openDatabase, type Database } from '../src/storage/open-database.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';

const logger = createLogger('history');

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
function nextTime(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

function userMessage(userId: string, threadId: string, runId: string, text: string) {
  return { userId, threadId, runId, messageId: `m_${runId}`, text, ts: nextTime() };
}

function completion(userId: string, threadId: string, runId: string): RunCompletionInfo {
  return {
    userId,
    threadId,
    runId,
    agentName: 'assistant',
    input: `question of ${runId}`,
    payload: { status: 'success', response: `answer of ${runId}`, durationMs: 3 },
    tools: [],
  };
}

describe.each(backends)('history group commit on %s', (_name, open) => {
  let database: Database;
  let store: HistoryStore;
  let cleanup: () => Promise<void>;
  let logs: LogCapture;
  const writers: HistoryWriter[] = [];

  beforeAll(async () => {
    ({ database, cleanup } = await open());
    await migrateToLatest(database.db, logger);
    store = createKyselyHistoryStore(database);
  });

  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  beforeEach(() => {
    logs = captureLogs({ level: 'debug', silent: true });
  });

  afterEach(async () => {
    logs.stop();
    for (const writer of writers.splice(0)) await writer.close();
  });

  function writer(options: Partial<HistoryWriterOptions> = {}): HistoryWriter {
    const created = new HistoryWriter({
      store,
      logger,
      retryDelayMs: 5,
      now: () => (clock += 1000),
      ...options,
    });
    writers.push(created);
    return created;
  }

  /** `[message_id, xmin]` of a user's messages, by message id. */
  async function rowsOf(userPrefix: string): Promise<{ message_id: string; xmin: string }[]> {
    const result = await sql<{ message_id: string; xmin: string }>`
      select message_id, xmin::text as xmin from chat_messages
      where user_id like ${`${userPrefix}%`} order by message_id`.execute(database.db);
    return result.rows;
  }

  it('writes the runs of one turn in one transaction, threads merged', async () => {
    // 40 runs' user messages in one turn, then their results in one (default bounds).
    const hooks = writer().hooks;
    await Promise.all(
      Array.from({ length: 40 }, (_v, i) =>
        hooks.onUserMessage!(userMessage(`one_${i % 10}`, `t_${i % 20}`, `one_${i}`, `q ${i}`)),
      ),
    );
    const users = await rowsOf('one_');
    expect(users).toHaveLength(40);
    expect(new Set(users.map((row) => row.xmin)).size).toBe(1);

    await Promise.all(
      Array.from({ length: 40 }, (_v, i) =>
        hooks.beforeRunCompleted!(completion(`one_${i % 10}`, `t_${i % 20}`, `one_${i}`)),
      ),
    );
    const all = await rowsOf('one_');
    expect(all).toHaveLength(80);
    const results = all.filter((row) => !row.message_id.startsWith('m_'));
    expect(new Set(results.map((row) => row.xmin)).size).toBe(1);
    expect(results[0]?.xmin).not.toBe(users[0]?.xmin);

    // Read back through the API: two runs per thread, in order, titled after the first.
    const page = await store.listMessages('one_3', 't_3', { limit: 10 });
    expect(page?.items.map((item) => [item.role, item.runId])).toEqual([
      ['user', 'one_3'],
      ['user', 'one_23'],
      ['assistant', 'one_3'],
      ['assistant', 'one_23'],
    ]);
    const threads = await store.listThreads('one_3', { limit: 10 });
    expect(threads.items.map((thread) => [thread.threadId, thread.title])).toEqual([
      ['t_13', 'q 13'],
      ['t_3', 'q 3'],
    ]);
  });

  it('a user message and an earlier run result of the same thread in one batch', async () => {
    const hooks = writer().hooks;
    await hooks.onUserMessage!(userMessage('same', 't_same', 'same_1', 'first'));
    await Promise.all([
      hooks.beforeRunCompleted!(completion('same', 't_same', 'same_1')),
      hooks.onUserMessage!(userMessage('same', 't_same', 'same_2', 'second')),
      hooks.beforeRunCompleted!(completion('same', 't_new', 'same_3')),
    ]);
    const rows = await rowsOf('same');
    expect(rows).toHaveLength(4);
    expect(new Set(rows.slice(1).map((row) => row.xmin)).size).toBe(1);
    const threads = await store.listThreads('same', { limit: 10 });
    expect(threads.items.map((thread) => [thread.threadId, thread.title]).sort()).toEqual([
      ['t_new', 'question of same_3'],
      ['t_same', 'first'],
    ]);
  });

  it('keeps the bound: 10 writes of one turn, at most 4 per batch, are three transactions', async () => {
    const hooks = writer({ maxBatchWrites: 4 }).hooks;
    await Promise.all(
      Array.from({ length: 10 }, (_v, i) =>
        hooks.onUserMessage!(userMessage(`bound_${i}`, 't_b', `bound_${i}`, `q ${i}`)),
      ),
    );
    const rows = await rowsOf('bound_');
    expect(rows).toHaveLength(10);
    const sizes = new Map<string, number>();
    for (const row of rows) sizes.set(row.xmin, (sizes.get(row.xmin) ?? 0) + 1);
    expect([...sizes.values()].sort()).toEqual([2, 4, 4]);
  });

  it('a refused batch: the others land once, one by one; the bad write is retried and given up', async () => {
    const history_ = writer({ maxRetries: 1 });
    const bad: UserMessageInfo = userMessage('refused_2', 't_r', 'refused_2', 'nul \u0000 byte');
    // A run already stored whose write comes again in the batch (a retry): no duplicate.
    await history_.hooks.onUserMessage!(userMessage('refused_0', 't_r', 'refused_0', 'q 0'));
    const again = userMessage('refused_0', 't_r', 'refused_0', 'q 0');
    await Promise.all([
      history_.hooks.onUserMessage!(again),
      history_.hooks.onUserMessage!(userMessage('refused_1', 't_r', 'refused_1', 'q 1')),
      history_.hooks.onUserMessage!(bad),
      history_.hooks.beforeRunCompleted!(completion('refused_1', 't_r', 'refused_1')),
    ]);
    expect((await rowsOf('refused_')).map((row) => row.message_id)).toEqual([
      'm_refused_0',
      'm_refused_1',
      'refused_1',
    ]);
    const deadline = Date.now() + 15_000; // a guard against a hang, not a latency bound
    while (!logs.entries.some((entry) => entry.severity === 'ERROR')) {
      if (Date.now() > deadline) throw new Error('the bad write was never given up');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const lines = logs.entries.filter((entry) => entry.component === 'history');
    expect(lines.map((line) => [line.severity, line.message, line.runId])).toEqual([
      [
        'WARNING',
        'History batch refused by the database; writing its writes one by one',
        undefined,
      ],
      ['WARNING', 'History write failed; retrying in the background', 'refused_2'],
      ['ERROR', 'History write failed; giving up', 'refused_2'],
    ]);
    expect(lines[0]).toMatchObject({ writes: 4, error: expect.stringMatching(/0x00/) });
    expect(await rowsOf('refused_')).toHaveLength(3);
  });
});
