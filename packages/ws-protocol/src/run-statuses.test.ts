import { describe, expect, it } from 'vitest';
import { RUN_STATUSES } from './run-statuses.js';

describe('RUN_STATUSES', () => {
  it('lists the agent_completed statuses of protocol §3', () => {
    expect(RUN_STATUSES).toEqual(['success', 'error', 'cancelled', 'timeout']);
  });
});
