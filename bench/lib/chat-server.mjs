/**
 * The chat server itself (`apps/chat-server`, its demo agent, HTTP API and `/ws`) in its own
 * process, for the hardening scenarios: `node --import tsx apps/chat-server/src/main.ts` with an
 * in-memory history, the development login and quiet logs. Tracked like every bench process.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { withTimeout } from './clock.mjs';
import { trackProcess } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = `${ROOT}apps/chat-server/src/main.ts`;
/** The built server (`npx turbo run build --filter=chat-server...`), as deployed. */
const BUILT_MAIN = `${ROOT}apps/chat-server/dist/main.js`;

/**
 * Starts the server on a free port; resolves once it prints its URL. `built`: runs
 * `apps/chat-server/dist/main.js` with plain node (the deployed form) instead of the sources
 * through tsx.
 * @returns {Promise<{url: string, wsUrl: string, pid: number, stop(): Promise<void>}>}
 */
export async function startChatServer(env = {}, { timeoutMs = 120_000, built = false } = {}) {
  const child = trackProcess(
    spawn(process.execPath, built ? [BUILT_MAIN] : ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        // info: the line that says where it listens is an info line (as in a deployment).
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        NO_COLOR: '1',
        DATA_DIR: 'memory://',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  const collect = (chunk) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = await withTimeout(
    new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Chat server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      child.once('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`the chat server exited (${code}) before listening:\n${output}`));
      });
    }),
    timeoutMs,
    'the chat server to start',
  );
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await withTimeout(exited, 20_000, 'the chat server to stop').catch(() =>
        child.kill('SIGKILL'),
      );
    },
  };
}

/** The server's resident memory now and at its peak (`VmRSS`, `VmHWM` of /proc), in bytes. */
export function residentMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/**
 * CPU time the process has used so far (user + system, every thread), in seconds, from
 * `/proc/<pid>/stat` (clock ticks of 10 ms).
 */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** `POST /api/v1/dev/login` → a token for `userId`. */
export async function devToken(url, userId) {
  const response = await fetch(`${url}/api/v1/dev/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (response.status !== 200) throw new Error(`dev login answered ${response.status}`);
  return (await response.json()).token;
}

/** Opens `/ws` as `token`'s user; resolves with the socket once `welcome` arrived. */
export function openSocket(wsUrl, token) {
  return withTimeout(
    new Promise((resolve, reject) => {
      const socket = new WebSocket(`${wsUrl}/ws`, ['chat.v1', `bearer.${token}`]);
      socket.once('message', () => resolve(socket));
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`)),
      );
    }),
    30_000,
    'a socket to open',
  );
}

/**
 * The demo agent's worst messages (`apps/chat-server/test/support/worst-messages.ts`, shared with
 * the attack test), read through tsx.
 */
export async function worstMessages() {
  const source = `${ROOT}apps/chat-server/test/support/worst-messages.ts`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(source)}); process.stdout.write(JSON.stringify(m.worstMessages()));`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(text);
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
