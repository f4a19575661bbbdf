/**
 * One test file's share of the shared Redis (see {@link useSharedRedis}): its own key prefix,
 * the raw clients and engine nodes it opens, and their cleanup, registered as vitest hooks.
 */
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createRedisEngine, type RedisStreamEngine } from '../src/redis-engine';
import type { RedisEngineOptions } from '../src/redis-engine-options';
import { deleteKeys, type SharedRedis, uniquePrefix, useSharedRedis } from './redis-harness';

export type TestRedisClient = ReturnType<typeof createClient>;

export interface RedisTestSuite {
  /** The shared server's URL (read it inside tests and hooks: it is set by `beforeAll`). */
  readonly url: string;
  /** This file's {@link uniquePrefix}; its keys are deleted after the file's tests. */
  readonly prefix: string;
  /** A connected client that ignores connection errors, destroyed after the file's tests. */
  client(): Promise<TestRedisClient>;
  /** A ready engine named `serverId` on this file's prefix, closed after each test. */
  node(serverId: string, options?: Partial<RedisEngineOptions>): Promise<RedisStreamEngine>;
}

/**
 * Opens the shared Redis before the file's tests and, after them, destroys the clients, deletes
 * the prefix's keys and releases the server. Call it at the top level of a test file.
 */
export function useRedisTestSuite(): RedisTestSuite {
  let redis: SharedRedis | undefined;
  const prefix = uniquePrefix();
  const clients: TestRedisClient[] = [];
  const engines: RedisStreamEngine[] = [];
  const url = (): string => {
    if (redis === undefined) throw new Error('the shared Redis is opened in beforeAll');
    return redis.url;
  };

  beforeAll(async () => {
    redis = await useSharedRedis();
  });

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
  });

  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    if (redis === undefined) return;
    await deleteKeys(redis.url, prefix);
    await redis.release();
  });

  return {
    get url() {
      return url();
    },
    prefix,
    async client() {
      const c = createClient({ url: url() });
      c.on('error', () => undefined);
      await c.connect();
      clients.push(c);
      return c;
    },
    async node(serverId, options = {}) {
      const engine = createRedisEngine({ url: url(), keyPrefix: prefix, serverId, ...options });
      engines.push(engine);
      await engine.ready();
      return engine;
    },
  };
}
