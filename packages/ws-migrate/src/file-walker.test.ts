import { afterEach, describe, expect, it } from 'vitest';
import { removeTempTree, writeTempTree } from '../test/temp-tree.js';
import { listSourceFiles } from './file-walker.js';

let roots: string[] = [];
function tree(files: Record<string, string>): string {
  const root = writeTempTree(files);
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots) removeTempTree(root);
  roots = [];
});

function paths(root: string): string[] {
  return listSourceFiles(root).map((entry) => entry.relativePath);
}

describe('listSourceFiles', () => {
  it('lists every JS/TS flavour, sorted, with forward slashes', () => {
    const root = tree({
      'b/z.ts': '',
      'a.tsx': '',
      'b/y.jsx': '',
      'c.mjs': '',
      'c.cjs': '',
      'c.mts': '',
      'c.cts': '',
      'c.js': '',
      'readme.md': '',
      'data.json': '',
    });
    expect(paths(root)).toEqual([
      'a.tsx',
      'b/y.jsx',
      'b/z.ts',
      'c.cjs',
      'c.cts',
      'c.js',
      'c.mjs',
      'c.mts',
    ]);
  });

  it('skips node_modules, dist, build, coverage and dot-directories at any depth', () => {
    const root = tree({
      'src/a.ts': '',
      'node_modules/x/index.js': '',
      'packages/p/node_modules/y.js': '',
      'packages/p/dist/index.js': '',
      'build/b.js': '',
      'coverage/c.js': '',
      '.git/hooks/h.js': '',
      'packages/p/.turbo/t.js': '',
      'packages/p/src/.eslintrc.cjs': '',
    });
    expect(paths(root)).toEqual(['packages/p/src/.eslintrc.cjs', 'src/a.ts']);
  });

  it('applies the root .gitignore', () => {
    const root = tree({
      '.gitignore': '# generated\n/out\n*.gen.ts\ntmp/\n',
      'out/a.ts': '',
      'src/out/b.ts': '',
      'src/c.gen.ts': '',
      'src/tmp/d.ts': '',
      'src/e.ts': '',
    });
    expect(paths(root)).toEqual(['src/e.ts', 'src/out/b.ts']);
  });

  it('applies nested .gitignore files relative to their directory, deeper rules winning', () => {
    const root = tree({
      '.gitignore': '*.local.ts\n',
      'app/.gitignore': '/fixtures\n!keep.local.ts\n',
      'app/fixtures/a.ts': '',
      'app/src/fixtures/b.ts': '',
      'app/keep.local.ts': '',
      'app/drop.local.ts': '',
      'other/fixtures/c.ts': '',
      'other/x.local.ts': '',
    });
    expect(paths(root)).toEqual([
      'app/keep.local.ts',
      'app/src/fixtures/b.ts',
      'other/fixtures/c.ts',
    ]);
  });
});
