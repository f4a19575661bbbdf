import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const main = path.join(root, 'apps/chat-server/src/main.ts');

/** Runs `node --import tsx src/main.ts` with only `env` (plus PATH) as its environment. */
function startMain(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    // An in-memory history database, so a running `npm start` (which locks ./.data) is no obstacle.
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', DATA_DIR: 'memory://', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

describe('main', () => {
  it.each([
    [
      { WS_HEARTBEAT_MS: 'abc' },
      'Invalid configuration: WS_HEARTBEAT_MS must be a positive integer (got "abc")',
    ],
    [
      { NODE_ENV: 'production' },
      'Invalid configuration: JWT_SECRET is required in production (at least 32 bytes), unless JWT_PUBLIC_KEY or JWT_JWKS_URL is set',
    ],
    [
      { PORT: '99999', LOG_LEVEL: 'nope' },
      'Invalid configuration: PORT must be a port number from 0 to 65535 (got "99999")',
    ],
  ])('refuses to start with %j: one line on stderr, exit code 1', async (env, line) => {
    const run = startMain(env);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toBe(`${line}\n`);
    expect(run.stdout()).toBe('');
  });

  it('prints the URL, serves, and exits 0 on SIGTERM', async () => {
    const run = startMain({
      NODE_ENV: 'test',
      PORT: '0',
      JWT_SECRET: 'x'.repeat(32),
      SHUTDOWN_GRACE_MS: '200',
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Chat server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout());
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      void run.exit.then((code) => {
        clearInterval(timer);
        reject(new Error(`exited with ${code}: ${run.stderr()}${run.stdout()}`));
      });
    });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
  });
});
