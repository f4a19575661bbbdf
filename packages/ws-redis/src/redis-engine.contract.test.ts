import { runStreamEngineContract } from '@app/ws-core/testing';
import { afterAll, beforeAll } from 'vitest';
import {
  deleteKeys,
  type SharedRedis,
  uniquePrefix,
  useSharedRedis,
} from '../test-support/redis-harness';
import { createRedisEngine } from './redis-engine';

let redis: SharedRedis;
const prefix = uniquePrefix();

beforeAll(async () => {
  redis = await useSharedRedis();
});

afterAll(async () => {
  await deleteKeys(redis.url, prefix);
  await redis.release();
});

runStreamEngineContract('redis', async ({ retention }) => {
  const engine = createRedisEngine({
    url: redis.url,
    keyPrefix: prefix,
    serverId: 'contract',
    retention,
  });
  await engine.ready();
  return engine;
});
