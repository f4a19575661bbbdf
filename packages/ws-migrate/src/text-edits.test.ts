import { describe, expect, it } from 'vitest';
import { applyEdits, indentationAt, lineRemovalRange, withoutEditsInside } from './text-edits.js';

describe('applyEdits', () => {
  it('applies edits in position order and keeps the rest byte-identical', () => {
    const text = 'const a = 1; // one\r\nconst b = 2;';
    expect(
      applyEdits(text, [
        { start: 27, end: 28, text: 'beta' },
        { start: 6, end: 7, text: 'alpha' },
      ]),
    ).toBe('const alpha = 1; // one\r\nconst beta = 2;');
  });

  it('keeps insertions at one position in the order given', () => {
    expect(
      applyEdits('ab', [
        { start: 1, end: 1, text: 'X' },
        { start: 1, end: 1, text: 'Y' },
      ]),
    ).toBe('aXYb');
  });

  it('throws on overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 0, end: 3, text: '' },
        { start: 2, end: 4, text: '' },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe('withoutEditsInside', () => {
  it('drops edits within a deleted range but keeps the deletion itself', () => {
    const deletion = { start: 5, end: 20, text: '' };
    const inner = { start: 8, end: 10, text: 'x' };
    const outer = { start: 1, end: 2, text: 'y' };
    expect(withoutEditsInside([deletion, inner, outer], [deletion])).toEqual([deletion, outer]);
  });
});

describe('line helpers', () => {
  it('finds the indentation of a position', () => {
    expect(indentationAt('a\n    b', 6)).toBe('    ');
    expect(indentationAt('\tx = y', 5)).toBe('\t');
  });

  it('removes a statement with its line only when it is alone on it', () => {
    const text = 'one;\n  two;\nthree;';
    expect(lineRemovalRange(text, 7, 11)).toEqual({ start: 5, end: 12 });
    expect(lineRemovalRange('a; b;\n', 3, 5)).toEqual({ start: 3, end: 5 });
  });
});
