/** How much client input an `error` frame may quote (docs/security.md#what-the-server-reveals). */
export const MAX_QUOTED_INPUT_CHARS = 128;

/**
 * Client input as an `error` message quotes it: JSON-quoted, and cut to its first
 * {@link MAX_QUOTED_INPUT_CHARS} characters (whole code points) with `…` after them, so that a
 * frame of 64 KiB is never mirrored back to its sender or into logs.
 */
export function quotedInput(value: string): string {
  const chars = Array.from(value.slice(0, MAX_QUOTED_INPUT_CHARS * 2));
  return chars.length > MAX_QUOTED_INPUT_CHARS || value.length > MAX_QUOTED_INPUT_CHARS * 2
    ? `${JSON.stringify(chars.slice(0, MAX_QUOTED_INPUT_CHARS).join(''))}…`
    : JSON.stringify(value);
}
