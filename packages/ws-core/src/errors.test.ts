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

  it('are recognised by code and brand across copies of the package', () => {
    const fromOtherCopy = Object.assign(new Error('x'), { code: 'WS_TOO_MANY_RUNS' });
    Object.defineProperty(fromOtherCopy, Symbol.for('@app/ws-core/error'), { value: true });
    expect(fromOtherCopy).toBeInstanceOf(TooManyRunsError);
    expect(fromOtherCopy).toBeInstanceOf(WsCoreError);
    expect(fromOtherCopy).not.toBeInstanceOf(UnknownAgentError);
    expect(isWsCoreError(fromOtherCopy, 'WS_TOO_MANY_RUNS')).toBe(true);
    expect(Object.assign(new Error('x'), { code: 'WS_TOO_MANY_RUNS' })).not.toBeInstanceOf(
      TooManyRunsError,
    );
    expect(isWsCoreError(new Error('x'))).toBe(false);
  });

  it('codes are unique', () => {
    expect(new Set(WS_CORE_ERROR_CODES).size).toBe(WS_CORE_ERROR_CODES.length);
  });
});
