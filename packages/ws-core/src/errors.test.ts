import { describe, expect, it } from 'vitest';
import {
  ConnectionLimitError,
  isWsCoreError,
  TooManyRunsError,
  UnknownAgentError,
  WS_CORE_ERROR_CODES,
  WsCoreError,
} from './errors';

describe('errors', () => {
  it('carry a stable code, a name and, for client-caused ones, a wire code', () => {
    const error = new TooManyRunsError(3);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(WsCoreError);
    expect(error).toMatchObject({
      code: 'WS_TOO_MANY_RUNS',
      wireCode: 'too_many_runs',
      name: 'TooManyRunsError',
    });
    expect(new UnknownAgentError('x').wireCode).toBe('unknown_agent');
    expect(new ConnectionLimitError(10).wireCode).toBeUndefined();
  });

  it('are recognised by class and by code', () => {
    const error = new TooManyRunsError(3);
    expect(error).not.toBeInstanceOf(UnknownAgentError);
    expect(isWsCoreError(error)).toBe(true);
    expect(isWsCoreError(error, 'WS_TOO_MANY_RUNS')).toBe(true);
    expect(isWsCoreError(error, 'WS_UNKNOWN_AGENT')).toBe(false);
    expect(Object.assign(new Error('x'), { code: 'WS_TOO_MANY_RUNS' })).not.toBeInstanceOf(
      TooManyRunsError,
    );
    expect(isWsCoreError(new Error('x'))).toBe(false);
  });

  it('codes are unique', () => {
    expect(new Set(WS_CORE_ERROR_CODES).size).toBe(WS_CORE_ERROR_CODES.length);
  });
});
