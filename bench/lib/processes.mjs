/**
 * Child processes of a bench run: servers and load workers, each in its own process, all tracked
 * so that every one is killed at the end, on SIGINT/SIGTERM and when the watchdog fires.
 */
import { fork } from 'node:child_process';
import { openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './clock.mjs';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/** Tracks a process started elsewhere (e.g. a private redis-server) so it is killed too. */
export function trackProcess(child) {
  return track(child);
}

/** SIGKILLs every child still alive (by its own pid only). */
export function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function waitReady(child, label, timeoutMs) {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const ready = new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message?.type === 'ready') {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) =>
      reject(
        new Error(`${label} exited (${code ?? signal}) before it was ready:\n${stderr.trim()}`),
      ),
    );
  });
  return withTimeout(ready, timeoutMs, `${label} to start`).then((message) => ({
    message,
    stderr: () => stderr,
  }));
}

const NULL_OUT = openSync('/dev/null', 'w');

/**
 * Starts a bench server (`servers/<file>`) with --expose-gc; resolves once it listens.
 * Its stdout (our JSON logs) goes to /dev/null, as it would to a log shipper.
 * @returns {Promise<{url: string, port: number, pid: number, stop(): Promise<void>, child}>}
 */
export async function startServer(file, env = {}, { timeoutMs = 20_000, execArgv = [] } = {}) {
  const child = track(
    fork(`${BENCH_DIR}servers/${file}`, [], {
      cwd: BENCH_DIR,
      execArgv: ['--expose-gc', ...execArgv],
      env: { ...process.env, NODE_ENV: 'test', ...env },
      stdio: ['ignore', NULL_OUT, 'pipe', 'ipc'],
    }),
  );
  const { message, stderr } = await waitReady(child, file, timeoutMs);
  const url = `http://127.0.0.1:${message.port}`;
  return {
    url,
    port: message.port,
    pid: child.pid,
    child,
    stderr,
    stop: () => stopChild(child),
  };
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  try {
    await withTimeout(exited, 3000, 'child to exit');
  } catch {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * A load worker (`load/client-worker.mjs`) driven by request/response over IPC.
 * @returns {Promise<{call(cmd: string, args?: object, timeoutMs?: number): Promise<any>, stop(): Promise<void>, pid: number}>}
 */
export async function startWorker(index) {
  const child = track(
    fork(`${BENCH_DIR}load/client-worker.mjs`, [], {
      cwd: BENCH_DIR,
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    }),
  );
  await waitReady(child, `load worker ${index}`, 10_000);
  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    const entry = pending.get(message?.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.ok) entry.resolve(message.result);
    else entry.reject(new Error(`load worker ${index}: ${message.error}`));
  });
  child.once('exit', (code, signal) => {
    for (const entry of pending.values())
      entry.reject(new Error(`load worker ${index} exited (${code ?? signal})`));
    pending.clear();
  });
  return {
    pid: child.pid,
    call(cmd, args = {}, timeoutMs = 60_000) {
      const id = ++nextId;
      const reply = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      child.send({ id, cmd, args });
      return withTimeout(reply, timeoutMs, `load worker ${index} ${cmd}`);
    },
    stop: () => stopChild(child),
  };
}

/** JSON over HTTP to a bench server's control endpoint. */
export async function control(url, path, body, timeoutMs = 60_000) {
  const response = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: globalThis.AbortSignal.timeout(timeoutMs),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${json.error ?? ''}`);
  return json;
}
