/** About how long a thread's title is, in characters (code points). */
export const THREAD_TITLE_LENGTH = 60;

/**
 * A thread's title from its first message: whitespace collapsed to single spaces, and when
 * longer than {@link THREAD_TITLE_LENGTH} cut at a word boundary where one is near, with `…`.
 */
export function threadTitle(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= THREAD_TITLE_LENGTH) return flat;
  const head = chars.slice(0, THREAD_TITLE_LENGTH - 1).join('');
  const space = head.lastIndexOf(' ');
  // Cut at the last space when it keeps most of the title; a long word is cut mid-word.
  const cut = space >= THREAD_TITLE_LENGTH * 0.6 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}…`;
}
