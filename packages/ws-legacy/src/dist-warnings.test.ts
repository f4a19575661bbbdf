/**
 * What a consumer of the published package sees: Node child processes load the built `dist`
 * (ESM-only; `require()` loads it through Node's require(esm)) through the workspace symlink,
 * and their stderr is read back. Needs the builds
 * of this package and of the packages it re-exports (`npx turbo run build --filter=@app/ws-legacy...`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPRECATION_CODES, type DeprecationCode } from './deprecation-codes.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(packageDir, '../..');
const distDir = path.join(packageDir, 'dist');
const requireFromRoot = createRequire(path.join(repoRoot, 'package.json'));

const BUILT_SPECIFIERS = [
  '@app/ws-legacy',
  '@app/ws-legacy/manager',
  '@app/ws-legacy/unified-manager',
  '@app/ws-legacy/logging',
  '@app/ws-core',
  '@app/ws-protocol',
  '@app/logging-ssot',
];

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** Throws a message that says what to do when a build these tests need is missing or stale. */
function assertBuilt(): void {
  const hint = 'run npm run build first (or: npx turbo run build --filter=@app/ws-legacy...)';
  if (!fs.existsSync(distDir)) throw new Error(`packages/ws-legacy/dist is missing: ${hint}`);
  for (const specifier of BUILT_SPECIFIERS) {
    let resolved: string;
    try {
      resolved = requireFromRoot.resolve(specifier);
    } catch {
      throw new Error(`the build of ${specifier} is missing: ${hint}`);
    }
    if (!fs.existsSync(resolved)) throw new Error(`the build of ${specifier} is missing: ${hint}`);
  }
  const builtAt = fs.statSync(path.join(distDir, 'index.js')).mtimeMs;
  if (newestSourceMtime(path.join(packageDir, 'src')) > builtAt) {
    throw new Error(`packages/ws-legacy/dist is older than its sources: ${hint}`);
  }
}

interface Run {
  status: number | null;
  stderr: string;
  /** The `APPWS_*` codes of the warnings Node printed, in order. */
  codes: string[];
}

/** Runs `source` in a fresh Node process, from the repository root, with `flags` before it. */
function runNode(source: string, options: { esm: boolean; flags?: string[] }): Run {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_NO_WARNINGS;
  const args = [
    ...(options.flags ?? []),
    ...(options.esm ? ['--input-type=module'] : []),
    '-e',
    source,
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  const codes = [...result.stderr.matchAll(/\[(APPWS_[A-Z0-9_]+)\] DeprecationWarning: /g)].map(
    (match) => match[1] ?? '',
  );
  return { status: result.status, stderr: result.stderr, codes };
}

function warningLine(code: DeprecationCode): string {
  return `[${code}] DeprecationWarning: ${DEPRECATION_CODES[code].message}`;
}

beforeAll(assertBuilt);

describe('the built package warns each consumer once', () => {
  it('ESM: importing the root twice prints one APPWS_DEP001 warning, worded per docs/migration.md#warnings', () => {
    const run = runNode("import '@app/ws-legacy'; import '@app/ws-legacy';", { esm: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.codes).toEqual(['APPWS_DEP001']);
    expect(run.stderr).toContain(warningLine('APPWS_DEP001'));
  });

  it('require(esm): requiring the root twice prints one APPWS_DEP001 warning', () => {
    const run = runNode("require('@app/ws-legacy'); require('@app/ws-legacy');", { esm: false });
    expect(run.status, run.stderr).toBe(0);
    expect(run.codes).toEqual(['APPWS_DEP001']);
    expect(run.stderr).toContain(warningLine('APPWS_DEP001'));
  });

  it('import and require() load one copy of the package, which warns once', () => {
    const source = [
      "import { createRequire } from 'node:module';",
      "import * as imported from '@app/ws-legacy';",
      "const required = createRequire(import.meta.url)('@app/ws-legacy');",
      'if (required.createWebSocketManager !== imported.createWebSocketManager) process.exit(3);',
    ].join('\n');
    const run = runNode(source, { esm: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.codes).toEqual(['APPWS_DEP001']);
  });

  it('ESM: every entry point prints its own code once', () => {
    const source = [
      "import '@app/ws-legacy';",
      "import '@app/ws-legacy/manager';",
      "import '@app/ws-legacy/unified-manager';",
      "import '@app/ws-legacy/logging';",
      "await import('@app/ws-legacy/manager');",
    ].join('\n');
    const run = runNode(source, { esm: true });
    expect(run.status, run.stderr).toBe(0);
    expect([...run.codes].sort()).toEqual([
      'APPWS_DEP001',
      'APPWS_DEP002',
      'APPWS_DEP003',
      'APPWS_DEP004',
    ]);
    for (const code of ['APPWS_DEP002', 'APPWS_DEP003', 'APPWS_DEP004'] as const) {
      expect(run.stderr).toContain(warningLine(code));
    }
  });

  it('require(esm): every entry point prints its own code once', () => {
    const entries = ['', '/manager', '/unified-manager', '/logging'];
    const source = [...entries, ...entries]
      .map((entry) => `require('@app/ws-legacy${entry}');`)
      .join('\n');
    const run = runNode(source, { esm: false });
    expect(run.status, run.stderr).toBe(0);
    expect(run.codes).toEqual(['APPWS_DEP001', 'APPWS_DEP002', 'APPWS_DEP003', 'APPWS_DEP004']);
  });

  it('createWebSocketManager(ctx, mode) prints APPWS_DEP005 once; without a mode it prints nothing more', () => {
    const source = [
      "const { createUserContext, WebSocketManager } = require('@app/ws-core');",
      "const { createWebSocketManager, WebSocketManagerMode } = require('@app/ws-legacy/manager');",
      "const ctx = createUserContext({ userId: 'u1' });",
      'const a = createWebSocketManager(ctx);',
      'const b = createWebSocketManager(ctx, WebSocketManagerMode.UNIFIED);',
      'const c = createWebSocketManager(ctx, WebSocketManagerMode.DEGRADED);',
      'if (!(a instanceof WebSocketManager) || a !== b || b !== c) process.exit(3);',
      '// Warnings are printed on a later tick; the default hub may hold timers, so exit after them.',
      'setImmediate(() => process.exit(0));',
    ].join('\n');
    const run = runNode(source, { esm: false });
    expect(run.status, run.stderr).toBe(0);
    expect(run.codes).toEqual(['APPWS_DEP002', 'APPWS_DEP005']);
    expect(run.stderr).toContain(warningLine('APPWS_DEP005'));
  });
});

describe("Node's deprecation switches apply", () => {
  it('--no-deprecation silences every code', () => {
    const run = runNode("import '@app/ws-legacy'; import '@app/ws-legacy/logging';", {
      esm: true,
      flags: ['--no-deprecation'],
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('APPWS_');
  });

  it('--throw-deprecation makes loading an entry point fail (ESM)', () => {
    const run = runNode("import '@app/ws-legacy';", { esm: true, flags: ['--throw-deprecation'] });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(DEPRECATION_CODES.APPWS_DEP001.message);
    expect(run.stderr).toContain('APPWS_DEP001');
  });

  it('--throw-deprecation makes loading an entry point fail (require)', () => {
    const run = runNode("require('@app/ws-legacy/logging');", {
      esm: false,
      flags: ['--throw-deprecation'],
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(DEPRECATION_CODES.APPWS_DEP004.message);
  });

  it('--disable-warning=APPWS_DEP001 silences that code only', () => {
    const run = runNode("import '@app/ws-legacy'; import '@app/ws-legacy/manager';", {
      esm: true,
      flags: ['--disable-warning=APPWS_DEP001'],
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.codes).toEqual(['APPWS_DEP002']);
  });
});
