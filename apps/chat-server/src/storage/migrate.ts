import type { Logger } from '@app/logging-ssot';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { MigrationError } from './history-errors.js';
import * as init from './migrations/0001_init.js';
import type { HistoryDatabase } from './schema.js';

/** Where applied migrations are recorded. */
export const MIGRATION_TABLE = 'history_migrations';
/** The lock Kysely takes while migrating, so two nodes starting together migrate once. */
const MIGRATION_LOCK_TABLE = 'history_migrations_lock';

/** Every migration, in order. A new one is a new file added at the end of this list. */
const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_init': init,
});

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};

/** The names of every migration this build knows, in order. */
export function knownMigrations(): string[] {
  return Object.keys(MIGRATIONS);
}

/**
 * Applies every migration not yet recorded in {@link MIGRATION_TABLE}, each in its own
 * transaction; already applied ones are skipped, so running it again is a no-op.
 *
 * @returns the names of the migrations applied now
 * @param location where the database is, for the error message
 * @throws MigrationError (`HISTORY_MIGRATION_FAILED`) naming the failing migration
 */
export async function migrateToLatest(
  db: Kysely<HistoryDatabase>,
  logger: Logger,
  location?: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error !== undefined) {
    const migration = results.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationError(error, {
      ...(migration !== undefined ? { migration } : {}),
      ...(location !== undefined ? { location } : {}),
    });
  }
  if (applied.length > 0) logger.info('History migrations applied', { migrations: applied });
  return applied;
}
