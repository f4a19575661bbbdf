/**
 * The stacks of the whole-run and token-stream scenarios: the built chat server
 * (`apps/chat-server/dist/main.js`, demo agent, NODE_ENV=production, JSON logs at info) with its
 * history on PGlite (a temporary DATA_DIR on disk), on PostgreSQL (a throwaway database) or off
 * (`HISTORY=off`), and the raw-ws and Socket.IO emulations that answer each chat with the same
 * frames (servers/run-frames.mjs). Each in its own process; `cpuSeconds()` reads its CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, startChatServer } from './chat-server.mjs';
import { createBenchDatabase } from './postgres.mjs';

/**
 * Limits raised for load from a few processes on one address; everything else is the default
 * (WS_MAX_RUNS_PER_USER 3, THREADS_PER_MINUTE 30: the load chats in one thread per user).
 */
const CHAT_SERVER_LOAD_ENV = {
  WS_CONNECT_ATTEMPTS_PER_MINUTE: '100000000',
  WS_RATE_PER_SECOND: '1000',
  WS_RATE_BURST: '2000',
};

/** The variants, by key. `history`: the chat server's; `peer`: an emulation. */
export const CHAT_VARIANTS = {
  pglite: { label: 'ours, history on PGlite', history: 'pglite' },
  postgres: { label: 'ours, history on PostgreSQL', history: 'postgres' },
  off: { label: 'ours, history off', history: 'off' },
  ws: { label: 'raw ws emulation', peer: 'ws' },
  socketio: { label: 'Socket.IO emulation', peer: 'socketio' },
};

/**
 * Starts one variant. Resolves with its client kind, URL for the load processes, pid, where its
 * history is, and `stop()` (which also removes the temporary DATA_DIR or drops the database).
 * @param {import('./harness.mjs').Harness} h
 * @param {keyof typeof CHAT_VARIANTS} key
 */
export async function startChatStack(h, key) {
  const variant = CHAT_VARIANTS[key];
  if (variant.peer) {
    const server = await h.server(variant.peer);
    return {
      key,
      label: variant.label,
      kind: server.client,
      url: server.wsUrl,
      pid: server.pid,
      location: 'no history',
      cpuSeconds: () => cpuSeconds(server.pid),
      stop: () => server.stop(),
    };
  }
  let cleanup = async () => {};
  const env = {
    ...CHAT_SERVER_LOAD_ENV,
    NODE_ENV: 'production',
    JWT_SECRET: h.secret,
    SHUTDOWN_GRACE_MS: '1000',
  };
  let location;
  if (variant.history === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
    env.DATA_DIR = dir;
    location = `PGlite on disk in a temporary DATA_DIR`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else if (variant.history === 'postgres') {
    const database = await createBenchDatabase();
    env.DATABASE_URL = database.url;
    location = database.location;
    cleanup = () => database.drop();
  } else {
    env.HISTORY = 'off';
    env.DATA_DIR = 'memory://';
    location = 'HISTORY=off';
  }
  let server;
  try {
    server = await startChatServer(env, { built: true });
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
  return {
    key,
    label: variant.label,
    kind: 'ours',
    url: `${server.wsUrl}/ws`,
    pid: server.pid,
    location,
    cpuSeconds: () => cpuSeconds(server.pid),
    async stop() {
      await server.stop();
      await cleanup().catch(() => undefined);
    },
  };
}

/**
 * Opens `users` clients of `stack` in group `group`, spread round-robin over the load processes.
 * @returns {Promise<{connected: number, failed: number, errors: object}>}
 */
export async function connectChatClients(h, stack, users, group, timeoutMs = 60_000) {
  const perWorker = h.workers.map(() => []);
  users.forEach((userId, i) => perWorker[i % h.workers.length].push({ userId }));
  const replies = await Promise.all(
    h.workers.map((worker, w) =>
      worker.call(
        'chatConnect',
        {
          kind: stack.kind,
          url: stack.url,
          specs: perWorker[w],
          concurrency: 16,
          timeoutMs,
          secret: h.secret,
          group,
        },
        timeoutMs + 60_000,
      ),
    ),
  );
  const errors = {};
  for (const reply of replies)
    for (const [k, n] of Object.entries(reply.errors)) errors[k] = (errors[k] ?? 0) + n;
  return {
    connected: replies.reduce((n, r) => n + r.connected, 0),
    failed: replies.reduce((n, r) => n + r.failed, 0),
    errors,
  };
}

/** Adds the counts of `from` into `into` (error codes → counts). */
export function addCounts(into, from) {
  for (const [k, n] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + n;
  return into;
}

/** `{a: 1, b: 2}` → `a 1, b 2`. */
export function describeCounts(counts) {
  const parts = Object.entries(counts).map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}
