import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMessageId } from './message-id.js';

describe('createMessageId', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('makes distinct ids of m_ and 24 hex digits, within the protocol limit of 128', () => {
    const ids = new Set(Array.from({ length: 500 }, () => createMessageId()));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(id).toMatch(/^m_[0-9a-f]{24}$/);
  });

  it('falls back to Math.random without Web Crypto', () => {
    vi.stubGlobal('crypto', undefined);
    expect(createMessageId()).toMatch(/^m_[0-9a-f]{24}$/);
  });
});
