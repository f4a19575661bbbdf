#!/usr/bin/env node
/**
 * Whole runs against the built chat server, for profiling (docs/benchmarks.md, "History group
 * commit and the event loop"): starts `dist/main.js` (optionally under `--cpu-prof`), opens one
 * socket per user, and has every user send chats at a fixed rate, each starting a new thread of
 * the demo agent (`what is 6*7?`: the calculator, nine events). Prints offered and delivered
 * runs/s and the chat → `agent_completed` latency (p50/p99) over the measured window, the runs
 * completed in it, and the window in the profile's clock (to take its samples alone).
 *
 *   node apps/chat-server/scripts/whole-run-load.mjs [--users=200] [--rate=2] [--seconds=15]
 *        [--warmup=3] [--profile=DIR] [--database=URL] [--data-dir=DIR]
 *
 * Without `--database` the history is PGlite in a fresh temporary `DATA_DIR` (the default
 * deployment), removed at the end. Build first: `npx turbo run build --filter=chat-server...`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    rate: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    profile: { type: 'string' },
    database: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const users = Number(values.users);
const ratePerUser = Number(values.rate);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const PORT = 20_000 + Math.floor(Math.random() * 20_000);

const tempDir =
  values['data-dir'] ?? (await mkdtemp(path.join(os.tmpdir(), 'chat-server-load-data-')));
const server = spawn(
  process.execPath,
  [...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []), MAIN],
  {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(PORT),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      DATA_DIR: tempDir,
      ...(values.database ? { DATABASE_URL: values.database } : {}),
      WS_RATE_PER_SECOND: '1000',
      WS_RATE_BURST: '1000',
      WS_MAX_RUNS_PER_USER: '1000',
      THREADS_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const url = `http://127.0.0.1:${PORT}`;

try {
  await waitForServer();
  const sockets = await Promise.all(Array.from({ length: users }, (_v, i) => connect(`u${i}`)));
  const latencies = [];
  let sent = 0;
  let completed = 0;
  /** Runs that completed inside the window, whenever they were offered (CPU per run). */
  let completedInWindow = 0;
  let measuring = false;
  for (const socket of sockets) {
    const sentAt = new Map();
    const runOf = new Map();
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'ack') {
        runOf.set(frame.runId, sentAt.get(frame.ref));
        sentAt.delete(frame.ref);
      } else if (frame.type === 'agent_completed') {
        const started = runOf.get(frame.runId);
        runOf.delete(frame.runId);
        if (measuring) completedInWindow += 1;
        if (started?.measured) {
          completed += 1;
          latencies.push(performance.now() - started.at);
        }
      }
    });
    socket.sendChat = (id) => {
      sentAt.set(id, { at: performance.now(), measured: measuring });
      socket.send(JSON.stringify({ type: 'chat', id, text: 'what is 6*7?' }));
    };
  }
  // Each user sends at its own phase, so the offered load is smooth.
  const intervalMs = 1000 / ratePerUser;
  let next = 0;
  const timers = sockets.map((socket, i) => {
    const start = setTimeout(
      () => {
        start.repeat = setInterval(() => {
          if (measuring) sent += 1;
          socket.sendChat(`c${(next += 1)}`);
        }, intervalMs);
      },
      (intervalMs * i) / users,
    );
    return start;
  });
  await sleep(warmup * 1000);
  measuring = true;
  const started = performance.now();
  const windowStartUs = process.hrtime.bigint() / 1000n;
  const cpuStart = serverCpuSeconds();
  await sleep(seconds * 1000);
  measuring = false;
  const windowEndUs = process.hrtime.bigint() / 1000n;
  const cpuSeconds = serverCpuSeconds() - cpuStart;
  const elapsed = (performance.now() - started) / 1000;
  for (const timer of timers) {
    clearTimeout(timer);
    clearInterval(timer.repeat);
  }
  await sleep(3000); // the runs in flight finish (counted when they were offered in the window)
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
  console.log(
    JSON.stringify({
      users,
      offeredRunsPerSecond: Math.round(sent / elapsed),
      deliveredRunsPerSecond: Math.round(completed / elapsed),
      lost: sent - completed,
      p50Ms: Math.round(pct(0.5)),
      p99Ms: Math.round(pct(0.99)),
      completedInWindow,
      // The server's CPU time (user + system, all its threads) in the window, per completed run.
      serverCpuMsPerRun: Number(((cpuSeconds * 1000) / completedInWindow).toFixed(2)),
      // CLOCK_MONOTONIC microseconds, the clock of a --cpu-prof profile's sample times.
      windowUs: [String(windowStartUs), String(windowEndUs)],
    }),
  );
  for (const socket of sockets) socket.terminate();
} finally {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
  if (!values['data-dir']) await rm(tempDir, { recursive: true, force: true });
}

/** utime + stime of the server process (all threads), in seconds, from /proc (Linux). */
function serverCpuSeconds() {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks: USER_HZ is 100
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForServer() {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('server did not start');
    await sleep(100);
  }
}

async function connect(userId) {
  const response = await fetch(`${url}/api/v1/dev/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  const { token } = await response.json();
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, ['chat.v1', `bearer.${token}`]);
    socket.once('message', () => resolve(socket));
    socket.once('error', reject);
  });
}
