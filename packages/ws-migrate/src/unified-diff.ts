import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * A unified diff of one file with `a/path` and `b/path` headers, as `git diff` prints them,
 * so `git apply` and `patch -p1` accept it. Empty when the texts are equal.
 * @param path relative path with forward slashes
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
}
