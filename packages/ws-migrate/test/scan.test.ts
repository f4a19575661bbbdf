import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryNotFoundError, scan, type ScanResult } from '../src/index.js';
import { MIXED_TREE, removeTempTree, writeTempTree } from './temp-tree.js';

describe('scan on a tree', () => {
  let root = '';
  let result: ScanResult;

  beforeAll(async () => {
    root = writeTempTree(MIXED_TREE);
    result = await scan(root);
  });
  afterAll(() => removeTempTree(root));

  it('reports findings per file with kinds and lines, sorted by path', () => {
    expect(
      result.files.map((file) => ({
        path: file.path,
        findings: file.findings.map((finding) => `${finding.line} ${finding.kind}`),
      })),
    ).toEqual([
      { path: 'packages/app/reexport.ts', findings: ['1 legacy-reexport'] },
      { path: 'src/index.d.ts', findings: ['1 legacy-import'] },
      { path: 'src/lazy.js', findings: ['1 legacy-dynamic-import'] },
      { path: 'src/routes.mjs', findings: ['2 legacy-wire-path'] },
      { path: 'src/server.ts', findings: ['2 legacy-import'] },
      { path: 'src/worker.cjs', findings: ['2 legacy-require'] },
    ]);
  });

  it('skips node_modules, build output, dot-directories and what .gitignore files ignore', () => {
    const paths = result.files.map((file) => file.path);
    for (const skipped of [
      'node_modules',
      'dist/',
      'build/',
      'coverage/',
      '.cache/',
      'generated/',
      '.gen.ts',
      'local-only',
    ]) {
      expect(paths.some((path) => path.includes(skipped))).toBe(false);
    }
    expect(result.scannedFiles).toBe(9);
  });

  it('scores files touching the ws packages only canonically over files touching them at all', () => {
    // Touching: the 6 files with findings + clean.ts + protocol.tsx; compliant: the last two.
    expect(result.touchingFiles).toBe(8);
    expect(result.compliantFiles).toBe(2);
    expect(result.score).toBe(25);
  });

  it('scores 100 when no file touches the ws packages', async () => {
    const empty = writeTempTree({ 'a.ts': 'export const a = 1;\n' });
    try {
      expect(await scan(empty)).toMatchObject({
        score: 100,
        files: [],
        touchingFiles: 0,
        scannedFiles: 1,
      });
    } finally {
      removeTempTree(empty);
    }
  });

  it('reports progress for every file', async () => {
    const calls: [number, number][] = [];
    await scan(root, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toHaveLength(9);
    expect(calls.at(-1)).toEqual([9, 9]);
  });

  it('rejects a directory that does not exist', async () => {
    await expect(scan(`${root}/missing`)).rejects.toBeInstanceOf(DirectoryNotFoundError);
    await expect(scan(`${root}/missing`)).rejects.toMatchObject({
      code: 'WSMIGRATE_DIRECTORY_NOT_FOUND',
    });
  });
});
