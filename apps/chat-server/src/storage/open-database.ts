import path from 'node:path';
import type { Logger } from '@app/logging-ssot';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { PgliteThread } from './pglite-thread.js';
import type { HistoryDatabase } from './schema.js';

/** `DATA_DIR` value for an in-memory embedded database (tests): nothing survives the process. */
const MEMORY_DATA_DIR = 'memory://';

/** The subdirectory of `DATA_DIR` that holds the embedded database's cluster. */
const PGLITE_SUBDIR = 'pglite';

/** Which database backs the history. */
export type DatabaseKind = 'postgres' | 'pglite' | 'pglite-memory';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** `DATABASE_URL`. Set: PostgreSQL through a `pg` Pool, and `dataDir` is not used. */
  databaseUrl?: string;
  /** `DATA_DIR` (default `./.data`): PGlite in `<dataDir>/pglite`; {@link MEMORY_DATA_DIR}: in memory. */
  dataDir: string;
  /** PostgreSQL only: pool size. Default 10. */
  poolSize?: number;
  /** PostgreSQL only: how long to wait for a connection, in ms. Default 2000. */
  connectTimeoutMs?: number;
  /** PostgreSQL only: how long a query may wait for its answer, in ms. Default 10000. */
  queryTimeoutMs?: number;
  logger: Logger;
}

/** An open database: Kysely over `pg` whatever the backend. */
export interface Database {
  readonly db: Kysely<HistoryDatabase>;
  readonly kind: DatabaseKind;
  /** Where it is, for logs: never credentials. */
  readonly location: string;
  /** Ends the pool, closes PGlite and releases the data directory. Idempotent. */
  close(): Promise<void>;
}

const POOL_ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Opens the history database. Both backends are reached the same way — Kysely's
 * `PostgresDialect` over a `pg` Pool — and PGlite runs in a worker thread (`PgliteThread`),
 * off the server's event loop, that `pg` reaches over the wire protocol as it reaches a server;
 * so the SQL, the type parsing and the transactions are the same code for both.
 *
 * - `databaseUrl` set: PostgreSQL; connections time out after `connectTimeoutMs`, queries after
 *   `queryTimeoutMs`, so an outage fails writes instead of hanging them.
 * - otherwise PGlite in `<dataDir>/pglite` (created when missing, locked against a second
 *   process), or in memory with `dataDir: 'memory://'`. One connection: PGlite is one session.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { logger } = options;
  if (options.databaseUrl !== undefined) return openPostgres(options.databaseUrl, options, logger);
  if (options.dataDir === MEMORY_DATA_DIR) {
    const thread = await PgliteThread.start(undefined, logger);
    return overPglite(thread, 'pglite-memory', 'PGlite in memory');
  }
  const dataDir = path.resolve(options.dataDir);
  const lock = await lockDataDir(dataDir);
  let thread: PgliteThread;
  try {
    thread = await PgliteThread.start(path.join(dataDir, PGLITE_SUBDIR), logger);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return overPglite(thread, 'pglite', `PGlite in ${dataDir}`, lock);
}

function openPostgres(url: string, options: OpenDatabaseOptions, logger: Logger): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'chat-server',
  });
  // A connection that breaks while checked out emits 'error' on its client, where pg-pool
  // listens only while it is idle: unhandled, that would crash the process. The failure also
  // rejects the client's queries, which is where it is reported; here it is only absorbed.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  let lastLoggedAt = 0;
  // An idle connection that breaks emits here (the same unhandled-crash hazard).
  pool.on('error', (error) => {
    const now = Date.now();
    if (now - lastLoggedAt < POOL_ERROR_LOG_INTERVAL_MS) return;
    lastLoggedAt = now;
    logger.warn('A pooled database connection failed', { error: error.message });
  });
  const db = new Kysely<HistoryDatabase>({ dialect: new PostgresDialect({ pool }) });
  return withClose(db, 'postgres', `PostgreSQL at ${describeUrl(url)}`, () => Promise.resolve());
}

function overPglite(
  thread: PgliteThread,
  kind: DatabaseKind,
  location: string,
  lock?: DataDirLock,
): Database {
  const pool = new pg.Pool({
    // pg speaks the wire protocol to the worker as it would to a server socket.
    stream: () => thread.connection(),
    user: 'postgres',
    database: 'postgres',
    max: 1,
    idleTimeoutMillis: 0,
  });
  const db = new Kysely<HistoryDatabase>({ dialect: new PostgresDialect({ pool }) });
  return withClose(db, kind, location, async () => {
    await thread.close();
    await lock?.release();
  });
}

function withClose(
  db: Kysely<HistoryDatabase>,
  kind: DatabaseKind,
  location: string,
  after: () => Promise<void>,
): Database {
  let closing: Promise<void> | undefined;
  return {
    db,
    kind,
    location,
    close() {
      closing ??= db.destroy().finally(after);
      return closing;
    },
  };
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured URL';
  }
}
