import { describe, expect, it } from 'vitest';
import { createDeprecationNotice } from './deprecation-notice.js';

describe('createDeprecationNotice', () => {
  it('has the shape of docs/protocol.md#7-legacy-wire-mode', () => {
    const notice = createDeprecationNotice();
    expect(Object.keys(notice).sort()).toEqual(['message', 'replacement', 'type']);
    expect(notice.type).toBe('deprecation_notice');
    expect(notice.replacement).toBe('/ws (protocol chat.v1)');
    expect(notice.message).toMatch(/deprecated/);
  });

  it('returns a fresh object each time', () => {
    expect(createDeprecationNotice()).not.toBe(createDeprecationNotice());
  });
});
