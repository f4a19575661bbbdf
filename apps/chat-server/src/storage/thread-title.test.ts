import { describe, expect, it } from 'vitest';
import { THREAD_TITLE_LENGTH, threadTitle } from './thread-title.js';

describe('threadTitle', () => {
  it('keeps a short message, with whitespace collapsed', () => {
    expect(threadTitle('  what is\n12*(3+4)?  ')).toBe('what is 12*(3+4)?');
  });

  it('keeps a message of exactly the length', () => {
    const text = 'x'.repeat(THREAD_TITLE_LENGTH);
    expect(threadTitle(text)).toBe(text);
  });

  it('cuts a long message at a word boundary with an ellipsis', () => {
    const title = threadTitle(
      'Please explain how the resume protocol works when the network drops in the middle of a run',
    );
    expect(title).toBe('Please explain how the resume protocol works when the…');
    expect(Array.from(title).length).toBeLessThanOrEqual(THREAD_TITLE_LENGTH);
  });

  it('cuts one long word mid-word, counting code points', () => {
    const title = threadTitle('😀'.repeat(100));
    expect(Array.from(title)).toHaveLength(THREAD_TITLE_LENGTH);
    expect(title.endsWith('😀…')).toBe(true);
  });
});
