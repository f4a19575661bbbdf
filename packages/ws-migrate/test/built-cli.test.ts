import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_DIR, run } from './run-cli.js';

const DIST_CLI = path.join(PACKAGE_DIR, 'dist/cli.js');
const BIN_SHIM = path.join(PACKAGE_DIR, 'bin/ws-migrate.js');
const REPO_ROOT = path.resolve(PACKAGE_DIR, '../..');
const EXAMPLE = path.join(PACKAGE_DIR, 'examples/legacy-app');

function builtCli(): string {
  if (!fs.existsSync(DIST_CLI)) {
    throw new Error(
      `${DIST_CLI} is missing: run npm run build first (npm run build -w @app/ws-migrate)`,
    );
  }
  return DIST_CLI;
}

describe('the built ws-migrate bin (dist/cli.js)', () => {
  it('is an executable node script that runs as the bin', { timeout: 120_000 }, async () => {
    const cli = builtCli();
    expect(fs.readFileSync(cli, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    // Executed directly, as npm's bin link does: the shebang and the executable bit must work.
    const { code, stdout, stderr } = await run(cli, ['scan', EXAMPLE, '--fail-under', '100']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^src\/client\.js:3 legacy-wire-path /);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('Compliance: 0.0% (0 of 4 files)');
  });
});

describe('the ws-migrate bin (bin/ws-migrate.js, committed)', () => {
  it('is what package.json names, so npm links it at install time, before any build', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ 'ws-migrate': './bin/ws-migrate.js' });
    expect(manifest.files).toContain('bin');
    expect(fs.readFileSync(BIN_SHIM, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it(
    'npx ws-migrate runs the built CLI from the repository root',
    { timeout: 120_000 },
    async () => {
      builtCli();
      const link = path.join(REPO_ROOT, 'node_modules/.bin/ws-migrate');
      if (!fs.existsSync(link) || fs.realpathSync(link) !== fs.realpathSync(BIN_SHIM)) {
        throw new Error(
          `${link} does not lead to bin/ws-migrate.js: run npm ci (or delete that link and run npm install)`,
        );
      }
      const { code, stdout, stderr } = await run(
        link,
        ['scan', EXAMPLE, '--fail-under', '100'],
        REPO_ROOT,
      );
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(stdout.trimEnd().split('\n').at(-1)).toBe('Compliance: 0.0% (0 of 4 files)');
    },
  );

  it(
    'says to build first, and exits 2, when the CLI is not built',
    { timeout: 120_000 },
    async () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-migrate-unbuilt-'));
      try {
        fs.mkdirSync(path.join(copy, 'bin'));
        const shim = path.join(copy, 'bin/ws-migrate.js');
        fs.copyFileSync(BIN_SHIM, shim);
        const { code, stdout, stderr } = await run(process.execPath, [shim, 'scan'], copy);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toContain('the CLI is not built yet');
        expect(stderr).toContain('npm run build');
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
    },
  );
});
