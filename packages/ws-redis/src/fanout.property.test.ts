import { captureLogs, type LogCapture } from '@app/logging-ssot';
import { afterEach, beforeEach, describe, it } from 'vitest';
import {
  checkFanoutProperty,
  PROPERTY_RETENTION,
} from '../../ws-core/test-support/fanout-property';
import { useRedisTestSuite } from '../test-support/redis-test-suite';

// ws-core's fan-out property on two nodes over one real Redis: connections on either node, the
// runs on the first, every read a hub makes under the scheduler's control.
const redis = useRedisTestSuite();
let logs: LogCapture | undefined;
beforeEach(() => {
  logs = captureLogs({ silent: true, level: 'debug' });
});
afterEach(() => logs?.stop());

describe('fan-out under random interleavings (property, Redis engine, two nodes)', () => {
  it('each connection gets only its user’s events, in seq order, no gap, no repeat outside a replay; every complete resume replays exactly fromSeq…toSeq', async () => {
    const engines = await Promise.all(
      ['node-a', 'node-b'].map((serverId) =>
        redis.node(serverId, { retention: PROPERTY_RETENTION }),
      ),
    );
    await checkFanoutProperty({
      engines: () => engines,
      numRuns: Number(process.env.PROP_RUNS ?? 100),
      settleMs: 5000,
    });
  }, 300_000);
});
