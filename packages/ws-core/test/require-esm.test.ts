/**
 * The package is ESM-only; CommonJS callers load it with `require()` through Node's
 * require(esm) (Node >= 20.19, the `engines` floor). Child processes load the built `dist`
 * through the workspace symlink, the way a consumer does. Needs the build
 * (`npx turbo run build --filter=@app/ws-core...`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(packageDir, '../..');

beforeAll(() => {
  for (const file of ['index.js', 'testing.js']) {
    if (!fs.existsSync(path.join(packageDir, 'dist', file))) {
      throw new Error(
        `packages/ws-core/dist/${file} is missing: run npm run build first ` +
          '(or: npx turbo run build --filter=@app/ws-core...)',
      );
    }
  }
});

/** Runs `node [flags] -e source` from the repository root; returns its exit status and output. */
function runNode(source: string, flags: string[] = []): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const result = spawnSync(process.execPath, [...flags, '-e', source], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("require('@app/ws-core')", () => {
  it('loads the ESM build and makes a working manager', () => {
    const source = [
      "const core = require('@app/ws-core');",
      "const manager = core.getWebSocketManager(core.createUserContext({ userId: 'u1' }));",
      "if (!(manager instanceof core.WebSocketManager) || manager.userId !== 'u1') process.exit(3);",
      'core.getDefaultWebSocketHub().close().then(() => console.log("ok"));',
    ].join('\n');
    const run = runNode(source);
    expect(run.output).toContain('ok');
    expect(run.status, run.output).toBe(0);
  });

  it('loads the testing entry point too', () => {
    const run = runNode(
      "const t = require('@app/ws-core/testing'); console.log(Object.keys(t).length > 0 ? 'ok' : 'empty');",
    );
    expect(run.output).toContain('ok');
    expect(run.status, run.output).toBe(0);
  });

  it('returns the very module import gives: one copy, so instanceof holds across both', () => {
    const source = [
      "import { createRequire } from 'node:module';",
      "import * as imported from '@app/ws-core';",
      "const required = createRequire(import.meta.url)('@app/ws-core');",
      'const same = required.WebSocketManager === imported.WebSocketManager &&',
      '  required.getDefaultWebSocketHub() === imported.getDefaultWebSocketHub() &&',
      '  new required.ShuttingDownError() instanceof imported.WsCoreError;',
      "console.log(same ? 'same' : 'different');",
      'await imported.getDefaultWebSocketHub().close();',
    ].join('\n');
    const run = runNode(source, ['--input-type=module']);
    expect(run.output).toContain('same');
    expect(run.status, run.output).toBe(0);
  });
});
