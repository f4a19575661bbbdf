import { describe, expect, it } from 'vitest';
import { isLogDestination, supportsColor } from './log-destination';

describe('supportsColor', () => {
  const tty = { isTTY: true, write() {} };
  const pipe = { write() {} };

  it('colours a TTY unless NO_COLOR is set to something', () => {
    expect(supportsColor(tty, {})).toBe(true);
    expect(supportsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(supportsColor(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('never colours something that is not a TTY', () => {
    expect(supportsColor(pipe, {})).toBe(false);
  });
});

describe('isLogDestination', () => {
  it('accepts anything with write and rejects the rest', () => {
    expect(isLogDestination(process.stdout)).toBe(true);
    expect(isLogDestination({ write: () => undefined })).toBe(true);
    expect(isLogDestination({ write: 'no' })).toBe(false);
    expect(isLogDestination(null)).toBe(false);
  });
});
