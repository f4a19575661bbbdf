/**
 * Real chat-server processes for the multi-node tests: the BUILT `apps/chat-server/dist/main.js`,
 * one process per node, on loopback ports picked free first (with `LOG_LEVEL=warn` nothing
 * prints the URL). Every child is killed by {@link stopAllNodes} and, should the test process
 * end first, by an `exit` hook.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { assertFreshBuild } from './fresh-build.js';
import { inheritedNodeOptions } from './inherited-node-options.js';
import { freePort } from '../../../../packages/ws-redis/test-support/redis-harness.js';

/** The built entry point the nodes run. */
const BUILT_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/main.js');

/**
 * How long a node gets to answer `/health/live` after it was spawned: a guard against a hung
 * start, wide enough for a loaded 2-core machine (a start takes 1-2 s idle, 20 s and more there).
 */
const START_TIMEOUT_MS = 90_000;

/** One chat-server process. */
export interface ChatNode {
  /** Its `SERVER_ID`. */
  readonly serverId: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Whether the process still runs. */
  readonly running: boolean;
  /** Everything it wrote on stdout and stderr so far. */
  output(): string;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Throws unless `dist/main.js` exists and no `dist` the nodes load is older than its sources:
 * the nodes run the build, not the sources.
 */
export function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) {
    throw new Error(
      `${BUILT_MAIN} is missing: run npm run build first ` +
        '(or npx turbo run build --filter=chat-server...)',
    );
  }
  assertFreshBuild();
}

/**
 * Spawns one node with `env` (plus `PATH`, the test's `NODE_OPTIONS`, `NODE_ENV=test`,
 * `HOST=127.0.0.1` and a free `PORT`) and resolves once it answers `GET /health/live`.
 *
 * @throws Error with the node's output when it exits or does not answer in time
 */
export async function startNode(serverId: string, env: Record<string, string>): Promise<ChatNode> {
  assertBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      ...inheritedNodeOptions(),
      NO_COLOR: '1',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      SERVER_ID: serverId,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      children.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const node: ChatNode = {
    serverId,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    exited,
    get running() {
      return running;
    },
    output: () => output,
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!running) {
      throw new Error(`node ${serverId} exited with ${await exited} at start:\n${output}`);
    }
    const live = await fetch(`${url}/health/live`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (live) return node;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node ${serverId} did not listen within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(50);
  }
}

/** A secret of at least 32 bytes shared by every node, so a token works on all of them. */
const CLUSTER_JWT_SECRET = 'multi-node-test-secret-of-32-bytes-or-more';

/** What the nodes of one cluster share. */
export interface ClusterSettings {
  redisUrl: string;
  /** `REDIS_KEY_PREFIX`: a unique one per test file (`uniquePrefix()`). */
  keyPrefix: string;
  databaseUrl: string;
}

/**
 * The environment every node of a cluster gets: one Redis (under the test's own prefix), one
 * database, one JWT secret, a short heartbeat, `LOG_LEVEL=warn`.
 */
export function clusterEnv(settings: ClusterSettings): Record<string, string> {
  return {
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.keyPrefix,
    DATABASE_URL: settings.databaseUrl,
    JWT_SECRET: CLUSTER_JWT_SECRET,
    WS_HEARTBEAT_MS: '1000',
    SHUTDOWN_GRACE_MS: '500',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
}

/** `POST /api/v1/dev/login` on `node` → a token valid on every node of the cluster. */
export async function devLoginOn(node: ChatNode, userId: string): Promise<string> {
  const response = await fetch(`${node.url}/api/v1/dev/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (response.status !== 200) {
    throw new Error(`dev login on ${node.serverId} answered ${response.status}`);
  }
  return ((await response.json()) as { token: string }).token;
}

/**
 * Tries an upgrade that should be refused: resolves with the HTTP status and the `error` code of
 * the refusal's JSON body. @throws Error when the upgrade is accepted
 */
export function refusedUpgrade(
  node: ChatNode,
  token: string,
): Promise<{ status: number; error: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(new URL('/ws', node.wsUrl), ['chat.v1', `bearer.${token}`]);
    socket.once('open', () => {
      socket.terminate();
      reject(new Error(`the upgrade on ${node.serverId} was accepted`));
    });
    socket.once('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, error: refusalCode(body) });
      });
    });
    socket.once('error', reject);
  });
}

function refusalCode(body: string): string {
  try {
    return String((JSON.parse(body) as { error?: unknown }).error);
  } catch {
    return body;
  }
}

/** Kills every node still running (SIGKILL) and waits until they are gone. */
export async function stopAllNodes(): Promise<void> {
  const running = [...children];
  const gone = running.map(
    (child) => new Promise<void>((resolve) => child.once('exit', () => resolve())),
  );
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(gone);
}

/** `GET /health/ready`: the status code and the body. */
export async function readiness(
  node: ChatNode,
): Promise<{ status: number; body: { status: string; checks: Record<string, unknown> } }> {
  const response = await fetch(`${node.url}/health/ready`);
  return {
    status: response.status,
    body: (await response.json()) as { status: string; checks: Record<string, unknown> },
  };
}

/** Polls `check` every 25 ms until it returns true. @throws Error naming `what` past `timeoutMs` */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
