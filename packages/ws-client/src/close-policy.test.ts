import { CLOSE_CODES } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { CLOSE_ACTIONS, getCloseAction, isTerminalCloseAction } from './close-policy.js';

describe('getCloseAction (docs/protocol.md#close-codes)', () => {
  it.each([
    [1000, 'stay_closed'],
    [1001, 'reconnect'],
    [1007, 'fix_client'],
    [1008, 'stay_closed'],
    [1009, 'fix_client'],
    [1011, 'reconnect'],
    [1013, 'reconnect'],
    [4000, 'reconnect'],
    [4401, 'renew_credentials'],
    [4408, 'reconnect'],
    [4429, 'wait'],
  ] as const)('close %i → %s', (code, action) => {
    expect(getCloseAction(code)).toBe(action);
  });

  it('has an action for every close code of @app/ws-protocol', () => {
    expect(Object.keys(CLOSE_ACTIONS).map(Number).sort()).toEqual(
      Object.values(CLOSE_CODES).sort(),
    );
  });

  it.each([1006, 1005, 1002, 1012, 1014, 3000, 4999])(
    'reconnects after code %i, which the close-code table does not list',
    (code) => {
      expect(getCloseAction(code)).toBe('reconnect');
    },
  );

  it('stops only after stay_closed and fix_client', () => {
    expect(isTerminalCloseAction('stay_closed')).toBe(true);
    expect(isTerminalCloseAction('fix_client')).toBe(true);
    expect(isTerminalCloseAction('reconnect')).toBe(false);
    expect(isTerminalCloseAction('renew_credentials')).toBe(false);
    expect(isTerminalCloseAction('wait')).toBe(false);
  });
});
