import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff.js';

describe('unifiedDiff', () => {
  it('prints git-style a/ and b/ headers and hunks', () => {
    const diff = unifiedDiff('src/a.ts', 'one\ntwo\n', 'one\n2\n');
    expect(diff).toBe('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n');
  });

  it('is empty when nothing changed', () => {
    expect(unifiedDiff('a.ts', 'same', 'same')).toBe('');
  });
});
