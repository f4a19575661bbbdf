import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fix } from '../src/index.js';
import { run, runSourceCli } from './run-cli.js';
import { MIXED_TREE, readTree, removeTempTree, writeTempTree } from './temp-tree.js';

// Each test spawns `node --import tsx src/cli.ts` (about a second each on an idle machine; the
// generous timeout is for loaded CI runners). Finer behaviour is tested in-process elsewhere.
const TIMEOUT = 120_000;
const roots: string[] = [];
function tree(files: Readonly<Record<string, string>>): string {
  const root = writeTempTree(files);
  roots.push(root);
  return root;
}
afterAll(() => roots.forEach(removeTempTree));

const mixed = tree(MIXED_TREE);

describe.concurrent('ws-migrate CLI (run from source)', () => {
  it(
    'scan prints path:line kind detail per finding, then the score',
    { timeout: TIMEOUT },
    async () => {
      const { code, stdout, stderr } = await runSourceCli(['scan', mixed]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toEqual([
        'packages/app/reexport.ts:1 legacy-reexport @app/ws-legacy { CRITICAL_EVENTS } → @app/ws-protocol',
        'src/index.d.ts:1 legacy-import @app/ws-legacy { WebSocketManager } → @app/ws-core',
        'src/lazy.js:1 legacy-dynamic-import @app/ws-legacy/manager → @app/ws-core',
        'src/routes.mjs:2 legacy-wire-path /websocket → /ws (legacy wire mode, docs/protocol.md#7-legacy-wire-mode)',
        'src/server.ts:2 legacy-import @app/ws-legacy { UnifiedWebSocketManager, createWebSocketManager } → @app/ws-core',
        'src/worker.cjs:2 legacy-require @app/ws-legacy/logging { getUnifiedLogger } → @app/logging-ssot',
        'Compliance: 25.0% (2 of 8 files)',
      ]);
    },
  );

  it(
    'scan --json prints {score, files: [{path, findings: [{line, kind, detail}]}]}',
    { timeout: TIMEOUT },
    async () => {
      const { code, stdout } = await runSourceCli(['scan', mixed, '--json']);
      expect(code).toBe(0);
      const json = JSON.parse(stdout) as {
        score: unknown;
        files: { path: string; findings: object[] }[];
      };
      expect(Object.keys(json)).toEqual(['score', 'files']);
      expect(json.score).toBe(25);
      expect(json.files.map((file) => file.path)).toEqual([
        'packages/app/reexport.ts',
        'src/index.d.ts',
        'src/lazy.js',
        'src/routes.mjs',
        'src/server.ts',
        'src/worker.cjs',
      ]);
      for (const file of json.files) {
        expect(Object.keys(file)).toEqual(['path', 'findings']);
        for (const finding of file.findings)
          expect(Object.keys(finding)).toEqual(['line', 'kind', 'detail']);
      }
      expect(json.files[5]?.findings).toEqual([
        {
          line: 2,
          kind: 'legacy-require',
          detail: '@app/ws-legacy/logging { getUnifiedLogger } → @app/logging-ssot',
        },
      ]);
    },
  );

  it(
    'scan --fail-under exits 1 below the threshold and 0 at it',
    { timeout: TIMEOUT },
    async () => {
      const [below, equal] = await Promise.all([
        runSourceCli(['scan', mixed, '--fail-under', '95']),
        runSourceCli(['scan', '--json', '--fail-under=25', mixed]),
      ]);
      expect(below.code).toBe(1);
      expect(below.stdout).toContain('Compliance: 25.0% (2 of 8 files)');
      expect(equal.code).toBe(0);
    },
  );

  it(
    'exits 2 with a clear message on usage errors and missing directories',
    { timeout: TIMEOUT },
    async () => {
      const [badFlag, missingDir] = await Promise.all([
        runSourceCli(['scan', mixed, '--verbose']),
        runSourceCli(['scan', path.join(mixed, 'nope')]),
      ]);
      expect(badFlag).toMatchObject({ code: 2, stdout: '' });
      expect(badFlag.stderr).toMatch(/^ws-migrate: unknown option --verbose\n\nUsage:\n/);
      expect(missingDir).toMatchObject({ code: 2, stdout: '' });
      expect(missingDir.stderr).toBe(`ws-migrate: not a directory: ${path.join(mixed, 'nope')}\n`);
    },
  );

  it(
    'fix --dry-run prints a unified diff on stdout and writes nothing',
    { timeout: TIMEOUT },
    async () => {
      const root = tree(MIXED_TREE);
      const before = readTree(root);
      const { code, stdout, stderr } = await runSourceCli(['fix', root, '--dry-run']);
      expect(code).toBe(0);
      expect(readTree(root)).toEqual(before);
      expect(stdout).toMatch(
        /^--- a\/packages\/app\/reexport\.ts\n\+\+\+ b\/packages\/app\/reexport\.ts\n@@ -1,1 \+1,1 @@\n/,
      );
      expect(stdout).toContain(
        "-import { UnifiedWebSocketManager, createWebSocketManager } from '@app/ws-legacy';",
      );
      expect(stdout).toContain(
        "+import { WebSocketManager, getWebSocketManager } from '@app/ws-core';",
      );
      expect(stdout.match(/^--- a\//gm)).toHaveLength(4);
      expect(stderr).toContain('Would fix 4 files of 9.');
      expect(stderr).toContain('src/routes.mjs:2 legacy-wire-path');

      // The patch applies with git and gives what `fix` writes.
      const patchFile = `${root}.patch`;
      fs.writeFileSync(patchFile, stdout);
      const applied = await run('git', ['apply', '-p1', patchFile], root);
      fs.rmSync(patchFile);
      expect(applied.stderr).toBe('');
      const patched = readTree(root);
      const fixed = tree(MIXED_TREE);
      await fix(fixed);
      expect(patched).toEqual(readTree(fixed));
    },
  );

  it(
    'fix rewrites, exits 1 when a file does not parse, and leaves that file alone',
    { timeout: TIMEOUT },
    async () => {
      const broken =
        "import { WebSocketManager } from '@app/ws-legacy';\n\nexport const = new WebSocketManager(;\n";
      const root = tree({
        'src/broken.ts': broken,
        'src/ok.cjs': "const { CRITICAL_EVENTS } = require('@app/ws-legacy');\n",
      });
      const { code, stdout, stderr } = await runSourceCli(['fix', root]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^src\/broken\.ts:3: parse error .+\n$/);
      expect(stdout).toContain('fixed src/ok.cjs\n');
      expect(stdout).toContain('Fixed 1 file of 2; 1 file not parsed, left untouched.');
      expect(readTree(root)).toEqual({
        'src/broken.ts': broken,
        'src/ok.cjs': "const { CRITICAL_EVENTS } = require('@app/ws-protocol');\n",
      });
    },
  );

  it('fix exits 0 when there is nothing to do', { timeout: TIMEOUT }, async () => {
    const files = { 'src/a.ts': "import { getWebSocketManager } from '@app/ws-core';\n" };
    const root = tree(files);
    const { code, stdout, stderr } = await runSourceCli(['fix', root]);
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'Nothing to fix in 1 file.\n',
      stderr: '',
    });
    expect(readTree(root)).toEqual(files);
  });

  it(
    'draws no progress bar when stdout is not a terminal, even on a large tree',
    { timeout: TIMEOUT },
    async () => {
      const files: Record<string, string> = {};
      for (let index = 0; index < 250; index += 1) {
        files[`src/file-${index}.ts`] = "import { getWebSocketManager } from '@app/ws-core';\n";
      }
      const root = tree(files);
      const { code, stdout, stderr } = await runSourceCli(['scan', root]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe('Compliance: 100.0% (250 of 250 files)\n');
    },
  );
});
