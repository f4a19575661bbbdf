import type { Logger } from '@app/logging-ssot';
import type { RunHooks } from '@app/ws-core';
import type { ReadinessCheck } from '../health.js';
import { describeError } from './describe-error.js';
import type { HistoryStore } from './history-store.js';
import { HistoryWriter, type HistoryWriterOptions } from './history-writer.js';
import { createKyselyHistoryStore } from './kysely-history-store.js';
import { migrateToLatest } from './migrate.js';
import { openDatabase, type DatabaseKind, type OpenDatabaseOptions } from './open-database.js';

/** Options of {@link openHistory}. */
export interface OpenHistoryOptions extends Omit<OpenDatabaseOptions, 'logger'> {
  logger: Logger;
  /** Retry settings of the writer (see {@link HistoryWriterOptions}). */
  retries?: Pick<HistoryWriterOptions, 'maxRetries' | 'retryDelayMs' | 'maxPendingRetries'>;
  /**
   * Group commit settings of the writer (see {@link HistoryWriterOptions}); by default one batch
   * at a time on PGlite (one session), four on PostgreSQL.
   */
  batches?: Pick<
    HistoryWriterOptions,
    'maxBatchWrites' | 'maxBatchChars' | 'concurrentBatches' | 'maxQueuedWrites'
  >;
  /** How long the readiness check waits for `select 1`, in ms. Default 1000. */
  pingTimeoutMs?: number;
}

/** The conversation history of a server: its store, its hooks and its readiness check. */
export interface History {
  readonly kind: DatabaseKind;
  /** Where the database is, for logs (never credentials). */
  readonly location: string;
  /** Reads for the HTTP API. */
  readonly store: HistoryStore;
  /** The writer behind {@link History.hooks}. */
  readonly writer: HistoryWriter;
  /** For `createWebSocketHub({hooks})`. */
  readonly hooks: RunHooks;
  /** `database`: `select 1` within `pingTimeoutMs`. */
  readonly readinessCheck: ReadinessCheck;
  /** Ends the writer's retries (one last attempt each), then closes the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the history database (see `openDatabase`), applies the migrations it lacks, and wires
 * the writer and the readiness check.
 *
 * @throws MigrationError, DataDirLockedError, or the database's error when it cannot be reached
 */
export async function openHistory(options: OpenHistoryOptions): Promise<History> {
  const logger = options.logger;
  const database = await openDatabase(options);
  try {
    await migrateToLatest(database.db, logger, database.location);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  const store = createKyselyHistoryStore(database, {
    ...(options.pingTimeoutMs !== undefined ? { pingTimeoutMs: options.pingTimeoutMs } : {}),
  });
  const writer = new HistoryWriter({
    store,
    logger,
    concurrentBatches: database.kind === 'postgres' ? 4 : 1,
    ...options.retries,
    ...options.batches,
  });
  logger.info('History database ready', { database: database.location });
  let closing: Promise<void> | undefined;
  return {
    kind: database.kind,
    location: database.location,
    store,
    writer,
    hooks: writer.hooks,
    readinessCheck: {
      name: 'database',
      async check() {
        try {
          await store.ping();
          return { ok: true };
        } catch (error) {
          return { ok: false, message: `select 1 failed: ${describeError(error)}` };
        }
      },
    },
    close() {
      closing ??= writer.close().finally(() => store.close());
      return closing;
    },
  };
}
