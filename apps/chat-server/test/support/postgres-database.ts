/**
 * A dedicated PostgreSQL database per test file: `chat_test_<random>`, created through the
 * `postgres` maintenance database and dropped after. The server is `DATABASE_URL`'s when set,
 * else 127.0.0.1:5432 as `postgres` or `root` (trust auth). Unreachable: the test fails with
 * how to get one — never skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A created test database. */
export interface TestPostgres {
  /** `postgres://…/chat_test_<random>` */
  readonly url: string;
  /** The server's host and port. */
  readonly host: string;
  readonly port: number;
  /** Drops the database (terminating its connections). */
  drop(): Promise<void>;
}

function candidates(): string[] {
  const given = process.env.DATABASE_URL;
  if (given !== undefined && given !== '') return [given];
  return ['postgres://postgres@127.0.0.1:5432/postgres', 'postgres://root@127.0.0.1:5432/postgres'];
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function connectMaintenance(): Promise<{ client: pg.Client; base: string }> {
  const failures: string[] = [];
  for (const base of candidates()) {
    const client = new pg.Client({
      connectionString: withDatabase(base, 'postgres'),
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      return { client, base };
    } catch (error) {
      await client.end().catch(() => undefined);
      const reason = error instanceof Error ? error.message || error.name : String(error);
      failures.push(`${new URL(base).username || '(no user)'}@${new URL(base).host}: ${reason}`);
    }
  }
  throw new Error(
    `PostgreSQL is required by this test and could not be reached (${failures.join('; ')}). ` +
      'Start it (e.g. `service postgresql start`), or set DATABASE_URL=postgres://user@host:5432/postgres ' +
      'to a server where that user may CREATE DATABASE.',
  );
}

/** Creates `chat_test_<random>` and returns its URL. */
export async function createTestPostgres(): Promise<TestPostgres> {
  const { client, base } = await connectMaintenance();
  const name = `chat_test_${randomBytes(6).toString('hex')}`;
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const parsed = new URL(base);
  return {
    url: withDatabase(base, name),
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    async drop() {
      const { client: admin } = await connectMaintenance();
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
