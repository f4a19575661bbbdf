/**
 * The chat server as its own process (`node --import tsx src/main.ts`), for tests and benchmarks
 * that must not share an event loop with the server they measure.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inheritedNodeOptions } from './inherited-node-options.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const main = path.join(root, 'apps/chat-server/src/main.ts');

/** A started `main` process and what it printed. */
export interface MainProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/**
 * Runs `node --import tsx src/main.ts` with only `env` (plus PATH, the test's `NODE_OPTIONS`,
 * `NO_COLOR` and an in-memory `DATA_DIR`, so a running `npm start`, which locks ./.data, is no
 * obstacle) as its environment.
 */
export function startMain(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      ...inheritedNodeOptions(),
      NO_COLOR: '1',
      DATA_DIR: 'memory://',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Resolves with the URL `main` prints once it listens; rejects if it exits first. */
export function listeningUrl(run: MainProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
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
}

/** A server process that listens. */
export interface ServerProcess {
  readonly run: MainProcess;
  /** `http://127.0.0.1:port` */
  readonly url: string;
  /** `ws://127.0.0.1:port` */
  readonly wsUrl: string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `main` in test mode on a free port with `env` on top, and waits until it listens. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const run = startMain({
    NODE_ENV: 'test',
    PORT: '0',
    JWT_SECRET: 'x'.repeat(32),
    SHUTDOWN_GRACE_MS: '200',
    ...env,
  });
  const url = await listeningUrl(run);
  return {
    run,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    async stop() {
      if (run.child.exitCode === null) run.child.kill('SIGTERM');
      return run.exit;
    },
  };
}
