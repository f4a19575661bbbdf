/**
 * The built chat server (`node apps/chat-server/dist/main.js`) as a child process on 127.0.0.1
 * with NODE_ENV=test, an OS-chosen port and a throwaway DATA_DIR: the global setup starts the
 * one most tests share, and a test that needs other settings (ALLOWED_ORIGINS, say) its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverDir = path.join(root, 'apps/chat-server/dist');
// Generous: a loaded machine (CI running two browser files at once) takes tens of seconds.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

/** A running chat server. */
export interface ChatServerProcess {
  /** Its origin, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /**
   * Stops it with SIGTERM (SIGKILL after 10 s), removes its DATA_DIR and resolves to its exit
   * code (null when killed by a signal).
   */
  stop(): Promise<number | null>;
}

/** Starts the built server with the e2e settings, `env` added or overriding them. */
export async function startChatServer(
  env: Record<string, string> = {},
): Promise<ChatServerProcess> {
  for (const file of ['main.js', 'public/index.html', 'public/app.js']) {
    if (!fs.existsSync(path.join(serverDir, file))) {
      throw new Error(
        `apps/chat-server/dist/${file} is missing: build first (npm run test:e2e does, or npx turbo run build --filter=chat-server...)`,
      );
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-e2e-'));
  const child = spawn(process.execPath, [path.join(serverDir, 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: 'e2e-secret-of-at-least-32-bytes!!!',
      DATA_DIR: dataDir,
      WS_HEARTBEAT_MS: '5000',
      SHUTDOWN_GRACE_MS: '500',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  let url: string;
  try {
    url = await waitForUrl(child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    output: () => output,
    async stop() {
      await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Chat server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (match?.[1]) finish(() => resolve(match[1]!));
    }, 50);
    const deadline = setTimeout(
      () => finish(() => reject(new Error(`The chat server did not start:\n${output()}`))),
      START_TIMEOUT_MS,
    );
    const onExit = (code: number | null): void =>
      finish(() => reject(new Error(`The chat server exited with ${code}:\n${output()}`)));
    child.once('exit', onExit);
    function finish(settle: () => void): void {
      clearInterval(timer);
      clearTimeout(deadline);
      child.off('exit', onExit);
      settle();
    }
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
