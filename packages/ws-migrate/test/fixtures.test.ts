import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rewriteLegacyImports } from '../src/import-rewriter.js';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface FixturePair {
  readonly name: string;
  readonly extension: string;
  readonly input: string;
  readonly expected: string;
}

function fixturePairs(): FixturePair[] {
  return fs
    .readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = path.join(fixturesDir, entry.name);
      const input = fs.readdirSync(dir).find((file) => file.startsWith('input.'));
      if (input === undefined) return [];
      const extension = path.extname(input);
      return [
        {
          name: entry.name,
          extension,
          input: fs.readFileSync(path.join(dir, input), 'utf8'),
          expected: fs.readFileSync(path.join(dir, `expected${extension}`), 'utf8'),
        },
      ];
    });
}

function rewrite(fileName: string, text: string): string {
  const outcome = rewriteLegacyImports(fileName, text);
  if (outcome.kind !== 'rewritten')
    throw new Error(`${fileName}:${outcome.line}: ${outcome.message}`);
  return outcome.output;
}

const pairs = fixturePairs();

describe('fix fixture pairs (input → expected)', () => {
  it('covers TS, TSX, ESM, CJS and the listed cases', () => {
    expect(new Set(pairs.map((pair) => pair.extension))).toEqual(
      new Set(['.ts', '.tsx', '.mjs', '.cjs']),
    );
    expect(pairs.map((pair) => pair.name)).toEqual(
      expect.arrayContaining([
        'aliased-imports',
        'cjs-require',
        'dynamic-import',
        'esm-module',
        'mixed-legacy-canonical',
        'reexports',
        'ts-named-imports',
        'tsx-component',
        'type-only-imports',
      ]),
    );
  });

  it.each(pairs.map((pair) => [pair.name, pair] as const))('%s', (_name, pair) => {
    expect(rewrite(`input${pair.extension}`, pair.input)).toBe(pair.expected);
  });

  it.each(pairs.map((pair) => [pair.name, pair] as const))(
    '%s is idempotent: fix(expected) = expected',
    (_name, pair) => {
      expect(rewrite(`expected${pair.extension}`, pair.expected)).toBe(pair.expected);
    },
  );
});
