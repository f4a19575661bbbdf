import { describe, expect, it } from 'vitest';
import { hasAtMostCharacters } from './character-length.js';

describe('hasAtMostCharacters', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(hasAtMostCharacters('😀😀', 2)).toBe(true);
    expect(hasAtMostCharacters('😀😀😀', 2)).toBe(false);
  });

  it('holds at the bound and fails past it', () => {
    expect(hasAtMostCharacters('abc', 3)).toBe(true);
    expect(hasAtMostCharacters('abcd', 3)).toBe(false);
    expect(hasAtMostCharacters('', 0)).toBe(true);
  });
});
