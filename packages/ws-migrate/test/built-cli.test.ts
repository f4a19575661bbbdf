import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_DIR, run } from './run-cli.js';

const DIST_CLI = path.join(PACKAGE_DIR, 'dist/cli.js');
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
