import { describe, expect, it } from 'vitest';
import { listeningUrl, startMain } from './support/server-process.js';

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
    const url = await listeningUrl(run);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
  });
});
