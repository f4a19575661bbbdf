import { captureLogs, type LogCapture } from '@app/logging-ssot';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { checkFanoutProperty, PROPERTY_RETENTION } from '../test-support/fanout-property';
import { createMemoryEngine } from './memory-engine';

let logs: LogCapture | undefined;
beforeEach(() => {
  logs = captureLogs({ silent: true, level: 'debug' });
});
afterEach(() => logs?.stop());

describe('fan-out under random interleavings (property, in-memory engine)', () => {
  it('each connection gets only its user’s events, in seq order, no gap, no repeat outside a replay; every complete resume replays exactly fromSeq…toSeq', async () => {
    await checkFanoutProperty({
      engines: () => [createMemoryEngine({ retention: PROPERTY_RETENTION })],
      release: async (engines) => {
        await Promise.all(engines.map((engine) => engine.close()));
      },
      numRuns: 200,
      settleMs: 0,
    });
  }, 60_000);
});
