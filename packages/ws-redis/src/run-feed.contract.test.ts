import { runRunFeedContract } from '@app/ws-core/testing';
import { useRedisTestSuite } from '../test-support/redis-test-suite';
import { createRedisEngine } from './redis-engine';

const redis = useRedisTestSuite();

runRunFeedContract('redis', async ({ retention }) => {
  const engine = createRedisEngine({
    url: redis.url,
    keyPrefix: redis.prefix,
    serverId: 'run-feed',
    retention,
  });
  await engine.ready();
  return engine;
});
