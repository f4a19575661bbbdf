import { runStreamEngineContract } from '@app/ws-core/testing';
import { useRedisTestSuite } from '../test-support/redis-test-suite';
import { createRedisEngine } from './redis-engine';

const redis = useRedisTestSuite();

runStreamEngineContract(
  'redis',
  async ({ retention }) => {
    const engine = createRedisEngine({
      url: redis.url,
      keyPrefix: redis.prefix,
      serverId: 'contract',
      retention,
    });
    await engine.ready();
    return engine;
  },
  { expiringLeases: true },
);
