import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DEPRECATION_CODES } from './deprecation-codes.js';
import { emitDeprecation, forgetEmittedDeprecations } from './emit-deprecation.js';

let emitWarning: MockInstance<typeof process.emitWarning>;

beforeEach(() => {
  forgetEmittedDeprecations();
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  forgetEmittedDeprecations();
});

describe('emitDeprecation', () => {
  it('emits a DeprecationWarning with the registered message and code', () => {
    emitDeprecation('APPWS_DEP002');
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning).toHaveBeenCalledWith(DEPRECATION_CODES.APPWS_DEP002.message, {
      type: 'DeprecationWarning',
      code: 'APPWS_DEP002',
    });
  });

  it('emits each code once per process, independently of the others', () => {
    emitDeprecation('APPWS_DEP001');
    emitDeprecation('APPWS_DEP001');
    emitDeprecation('APPWS_DEP003');
    emitDeprecation('APPWS_DEP003');
    expect(emitWarning.mock.calls.map((call) => (call[1] as { code: string }).code)).toEqual([
      'APPWS_DEP001',
      'APPWS_DEP003',
    ]);
  });

  it('does nothing where there is no process (browsers)', () => {
    vi.stubGlobal('process', undefined);
    let thrown: unknown;
    try {
      emitDeprecation('APPWS_DEP001');
    } catch (error) {
      thrown = error;
    } finally {
      vi.unstubAllGlobals();
    }
    expect(thrown).toBeUndefined();
    expect(emitWarning).not.toHaveBeenCalled();
  });

  it('lets a throwing emitWarning (--throw-deprecation) reach the caller', () => {
    emitWarning.mockImplementation(() => {
      throw new Error('thrown by --throw-deprecation');
    });
    expect(() => emitDeprecation('APPWS_DEP001')).toThrow('thrown by --throw-deprecation');
  });
});
