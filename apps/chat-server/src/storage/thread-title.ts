/** About how long a thread's title is, in characters (code points). */
export const THREAD_TITLE_LENGTH = 60;

const SPACE = /\s/;

/**
 * A thread's title from its first message: whitespace collapsed to single spaces, and when
 * longer than {@link THREAD_TITLE_LENGTH} cut at a word boundary where one is near, with `…`.
 * Only the message's start is read: a title costs the same for any length of message
 * (docs/security.md#busy-event-loop).
 */
export function threadTitle(text: string): string {
  // The collapsed, trimmed text up to one character past the length: enough to know whether
  // it has to be cut, and where.
  const chars: string[] = [];
  let spaceBefore = false;
  for (const char of text) {
    if (SPACE.test(char)) {
      spaceBefore = chars.length > 0;
      continue;
    }
    if (spaceBefore) chars.push(' ');
    spaceBefore = false;
    chars.push(char);
    if (chars.length > THREAD_TITLE_LENGTH) break;
  }
  if (chars.length <= THREAD_TITLE_LENGTH) return chars.join('');
  const head = chars.slice(0, THREAD_TITLE_LENGTH - 1).join('');
  const space = head.lastIndexOf(' ');
  // Cut at the last space when it keeps most of the title; a long word is cut mid-word.
  const cut = space >= THREAD_TITLE_LENGTH * 0.6 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}…`;
}
