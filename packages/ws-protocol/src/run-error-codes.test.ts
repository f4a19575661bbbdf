import { describe, expect, it } from 'vitest';
import { RUN_ERROR_CODES } from './run-error-codes.js';

describe('RUN_ERROR_CODES', () => {
  it('lists the agent_completed error codes the server writes, run_too_large included', () => {
    expect(RUN_ERROR_CODES).toEqual(['agent_error', 'stall_timeout', 'node_lost', 'run_too_large']);
  });
});
