/**
 * A throwaway PostgreSQL database for the whole-run scenario: `chat_bench_<random>` on
 * 127.0.0.1:5432 as `postgres` (trust), created through the `postgres` maintenance database and
 * dropped after (WITH (FORCE)). With `DATABASE_URL` set, that database is used as it is and never
 * dropped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function maintenance(fn) {
  const client = new pg.Client({ connectionString: DEFAULT_SERVER, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * @returns {Promise<{url: string, location: string, drop(): Promise<void>}>}
 * @throws when no PostgreSQL answers (the caller reports the variant as not available)
 */
export async function createBenchDatabase() {
  const given = process.env.DATABASE_URL;
  if (given) {
    const parsed = new URL(given);
    return {
      url: given,
      location: `DATABASE_URL (${parsed.host}${parsed.pathname})`,
      drop: async () => {},
    };
  }
  const name = `chat_bench_${randomBytes(4).toString('hex')}`;
  const version = await maintenance(async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    return (await client.query('SHOW server_version')).rows[0].server_version;
  });
  return {
    url: withDatabase(DEFAULT_SERVER, name),
    location: `PostgreSQL ${version} on 127.0.0.1:5432, database ${name} (dropped after)`,
    drop: () =>
      maintenance((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
