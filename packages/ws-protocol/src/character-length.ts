/**
 * Whether `text` has at most `max` characters, counting Unicode code points (an emoji is one
 * character, as a user would count it). Counting only happens past `max` UTF-16 units, since a
 * string never has more code points than units.
 */
export function hasAtMostCharacters(text: string, max: number): boolean {
  if (text.length <= max) return true;
  let count = 0;
  for (const _ of text) {
    if (++count > max) return false;
  }
  return true;
}
