import { describe, expect, it } from 'vitest';
import { RUN_STATUSES } from './run-statuses.js';

describe('RUN_STATUSES', () => {
  it('lists the agent_completed statuses of docs/protocol.md#event-types', () => {
    expect(RUN_STATUSES).toEqual(['success', 'error', 'cancelled', 'timeout']);
  });
});
