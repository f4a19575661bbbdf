/** Edits on exact ranges of a file's original text: everything outside them stays byte-identical. */

/** Replace `text[start, end)` with `text`; `start === end` inserts. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Applies edits made against the same original text. Insertions at one position keep the order
 * they were given in. Overlapping edits are a bug in the caller and throw.
 */
export function applyEdits(original: string, edits: readonly TextEdit[]): string {
  const ordered = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order);
  let output = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    if (edit.start < cursor) {
      throw new Error(`overlapping edits at ${edit.start} (previous edit ends at ${cursor})`);
    }
    output += original.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return output + original.slice(cursor);
}

/** Drops the edits lying wholly inside one of `ranges` (text that is deleted anyway). */
export function withoutEditsInside(
  edits: readonly TextEdit[],
  ranges: readonly { readonly start: number; readonly end: number }[],
): TextEdit[] {
  return edits.filter(
    (edit) =>
      !ranges.some(
        (range) =>
          edit.start >= range.start &&
          edit.end <= range.end &&
          !(edit.start === range.start && edit.end === range.end),
      ),
  );
}

/** The file's line break: `\r\n` when it uses any, else `\n`. */
export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The whitespace between the start of the line holding `position` and `position`. */
export function indentationAt(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  const before = text.slice(lineStart, position);
  return /^[ \t]*$/.test(before) ? before : (/^[ \t]*/.exec(before)?.[0] ?? '');
}

/**
 * The range that removes `[start, end)` with its line when nothing else is on that line, else
 * just `[start, end)`.
 */
export function lineRemovalRange(
  text: string,
  start: number,
  end: number,
): { start: number; end: number } {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, start))) return { start, end };
  const rest = /^[ \t]*(\r?\n|$)/.exec(text.slice(end));
  if (rest === null) return { start, end };
  return { start: lineStart, end: end + rest[0].length };
}
