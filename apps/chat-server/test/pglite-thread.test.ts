/**
 * PGlite in its worker thread: a long statement leaves the server's event loop free, errors
 * keep their SQLSTATE, and closing ends the worker and releases `DATA_DIR` (a second open of a
 * directory in use is refused; after the close it opens with the data).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@app/logging-ssot';
import { isAppError } from '@app/ws-protocol';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { codes } from '../src/error-codes.js';
import { openDatabase } from '../src/storage/open-database.js';

const logger = createLogger('history-test');
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('PGlite in a worker thread', () => {
  it('runs a long statement while the event loop goes on', async () => {
    const database = await openDatabase({ dataDir: 'memory://', logger });
    try {
      let turns = 0;
      let counting = true;
      const count = (): void => {
        turns += 1;
        if (counting) setImmediate(count);
      };
      setImmediate(count);
      const result = await sql<{ n: string }>`
        select count(*) as n from generate_series(1, 3000000) as g(i)
        where i % 7 = 3`.execute(database.db);
      counting = false;
      expect(result.rows[0]?.n).toBe('428572');
      // In-process PGlite runs the statement synchronously: not one turn until it is over.
      console.info(`${turns} event-loop turns during the statement`);
      expect(turns).toBeGreaterThan(10);
    } finally {
      await database.close();
    }
  });

  it('reports a refused statement with its SQLSTATE, and goes on', async () => {
    const database = await openDatabase({ dataDir: 'memory://', logger });
    try {
      const error = await sql`select 1 / 0`.execute(database.db).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: '22012', severity: 'ERROR' });
      const after = await sql<{ ok: number }>`select 1 as ok`.execute(database.db);
      expect(after.rows).toEqual([{ ok: 1 }]);
    } finally {
      await database.close();
    }
  });

  it('holds DATA_DIR while open; after close the directory opens again with its data', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pglite-thread-test-'));
    dirs.push(dataDir);
    const first = await openDatabase({ dataDir, logger });
    await sql`create table kept (v text)`.execute(first.db);
    await sql`insert into kept values ('still here')`.execute(first.db);
    const second = await openDatabase({ dataDir, logger }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(second, codes.HISTORY_DATA_DIR_LOCKED)).toBe(true);
    await first.close();
    const reopened = await openDatabase({ dataDir, logger });
    try {
      const rows = await sql<{ v: string }>`select v from kept`.execute(reopened.db);
      expect(rows.rows).toEqual([{ v: 'still here' }]);
    } finally {
      await reopened.close();
    }
  });
});
