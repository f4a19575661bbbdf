import { runStreamEngineContract } from '@app/ws-core/testing';
import { afterAll, beforeAll } from 'vitest';
import { uniquePrefix } from '../test-support/redis-harness';
import { type RedisClusterServer, startRedisCluster } from '../test-support/redis-cluster-harness';
import { createRedisEngine } from './redis-engine';

// The engine contract on a Redis Cluster of three masters (docs/scaling.md#rule-8-redis-cluster).
let cluster: RedisClusterServer;
const prefix = uniquePrefix();

beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);

afterAll(async () => {
  await cluster?.dispose();
});

runStreamEngineContract('redis cluster', async ({ retention }) => {
  const engine = createRedisEngine({
    url: cluster.url,
    cluster: true,
    keyPrefix: prefix,
    serverId: 'contract',
    retention,
  });
  await engine.ready();
  return engine;
});
