import { AppError, isAppError } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import {
  codes,
  ConnectionLimitError,
  EngineUnavailableError,
  InvalidInputError,
  ShuttingDownError,
  TooManyRunsError,
  UnknownAgentError,
  wireErrorOf,
  WsCoreError,
} from './errors';

describe('errors', () => {
  it('carry a stable code from the registry, a name and, for client-caused ones, a wire code', () => {
    const error = new TooManyRunsError(3);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(WsCoreError);
    expect(error).toMatchObject({
      code: codes.WS_TOO_MANY_RUNS,
      wireCode: 'too_many_runs',
      name: 'TooManyRunsError',
    });
    expect(new UnknownAgentError('x').wireCode).toBe('unknown_agent');
    expect(new ConnectionLimitError(10).wireCode).toBeUndefined();
  });

  it('are recognised by isAppError, by class and by code', () => {
    const error = new TooManyRunsError(3);
    expect(error).not.toBeInstanceOf(UnknownAgentError);
    expect(isAppError(error)).toBe(true);
    expect(isAppError(error, codes.WS_TOO_MANY_RUNS)).toBe(true);
    expect(isAppError(error, codes.WS_UNKNOWN_AGENT)).toBe(false);
    expect(Object.assign(new Error('x'), { code: 'WS_TOO_MANY_RUNS' })).not.toBeInstanceOf(
      TooManyRunsError,
    );
    expect(isAppError(new Error('x'))).toBe(false);
  });

  it('codes are unique and each is its own key', () => {
    const values = Object.values(codes);
    expect(new Set(values).size).toBe(values.length);
    for (const [key, value] of Object.entries(codes)) expect(value).toBe(key);
  });

  it('wireErrorOf gives the frame of a client-caused error and nothing for others', () => {
    expect(wireErrorOf(new InvalidInputError('empty text'))).toEqual({
      code: 'invalid_message',
      message: 'empty text',
    });
    expect(wireErrorOf(new ShuttingDownError())).toMatchObject({ code: 'unavailable' });
    expect(wireErrorOf(new EngineUnavailableError('down', 250))).toEqual({
      code: 'unavailable',
      message: 'down',
      retryAfterMs: 250,
    });
    expect(wireErrorOf(new ConnectionLimitError(3))).toBeUndefined();
    // Only the registry decides: a look-alike with a wireCode property is not trusted.
    expect(wireErrorOf(Object.assign(new Error('x'), { wireCode: 'unavailable' }))).toBeUndefined();
    expect(wireErrorOf('boom')).toBeUndefined();
  });
});
