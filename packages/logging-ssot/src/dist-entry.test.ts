import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const esmEntry = path.join(packageDir, 'dist', 'index.js');

function requireBuild(): void {
  if (!fs.existsSync(esmEntry)) {
    throw new Error(`${path.relative(packageDir, esmEntry)} is missing: run npm run build first`);
  }
}

/** Runs a script in a fresh Node process with JSON logs and an invalid LOG_LEVEL. */
function runNode(args: string[], script: string): Record<string, unknown>[] {
  const result = spawnSync(process.execPath, [...args, '-e', script], {
    cwd: packageDir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'chatty',
      SERVICE_NAME: 'dist-test',
    },
    timeout: 20_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const LOG_CALLS = `
  const log = m.createLogger('dist');
  m.withLogContext({ runId: 'r1' }, () => log.info('from dist', { token: 'secret-1', n: 1 }));
  log.debug('hidden');
`;

describe('built output (dist)', () => {
  it("works through require() (Node's require(esm))", () => {
    requireBuild();
    const lines = runNode([], `const m = require('@app/logging-ssot');${LOG_CALLS}`);
    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        component: 'logging-ssot',
        variable: 'LOG_LEVEL',
        value: 'chatty',
      }),
      expect.objectContaining({
        severity: 'INFO',
        message: 'from dist',
        service: 'dist-test',
        component: 'dist',
        runId: 'r1',
        token: '[REDACTED]',
        n: 1,
      }),
    ]);
  });

  it('works through import, and require() of it shares its configuration and context', () => {
    requireBuild();
    const script = `
      import * as m from '@app/logging-ssot';
      import { createRequire } from 'node:module';
      ${LOG_CALLS}
      const required = createRequire(import.meta.url)('@app/logging-ssot');
      m.configureLogging({ level: 'debug' });
      m.withLogContext({ userId: 'u1' }, () => required.createLogger('cjs').debug('mixed'));
    `;
    const lines = runNode(['--input-type=module'], script);
    expect(lines.map((line) => line.message)).toEqual([
      'Invalid LOG_LEVEL, using "info"',
      'from dist',
      'mixed',
    ]);
    expect(lines[1]).toMatchObject({ runId: 'r1', token: '[REDACTED]' });
    expect(lines[2]).toMatchObject({ component: 'cjs', severity: 'DEBUG', userId: 'u1' });
  });
});
