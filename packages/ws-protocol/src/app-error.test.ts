import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from './app-error.js';

class ExampleError extends AppError<'EX_ONE'> {
  constructor() {
    super('EX_ONE', 'example', { cause: 'why' });
  }
}

describe('AppError', () => {
  it('carries its code, its subclass name and the cause', () => {
    const error = new ExampleError();
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'EX_ONE', name: 'ExampleError', message: 'example' });
    expect(error.cause).toBe('why');
    expect('cause' in new AppError('EX_TWO', 'x')).toBe(false);
  });

  it('isAppError recognises instances, optionally of one code, and nothing that merely looks alike', () => {
    expect(isAppError(new ExampleError())).toBe(true);
    expect(isAppError(new ExampleError(), 'EX_ONE')).toBe(true);
    expect(isAppError(new ExampleError(), 'EX_TWO')).toBe(false);
    expect(isAppError(Object.assign(new Error('x'), { code: 'EX_ONE' }), 'EX_ONE')).toBe(false);
    expect(isAppError({ code: 'EX_ONE', name: 'ExampleError' })).toBe(false);
    expect(isAppError(undefined)).toBe(false);
  });
});
