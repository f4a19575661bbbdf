/**
 * Redis for tests (docs/scaling.md#rule-7-tests-never-disturb-shared-services: tests never disturb shared services).
 *
 * - {@link useSharedRedis}: `REDIS_URL` when set, otherwise a private `redis-server` on a free
 *   port. Tests on it use a {@link uniquePrefix} and delete only their own keys.
 * - {@link startRedisServer}: always a private `redis-server`, for tests that stop, kill or
 *   restart Redis — never the shared one.
 *
 * Without `REDIS_URL` and without a `redis-server` binary, both fail with instructions: a test
 * that needs Redis never skips silently.
 *
 * Plain test support, imported by relative path (also by apps/chat-server's multi-node tests).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';

const HOW_TO_GET_REDIS =
  'These tests need Redis 6.2+ (7+ for sharded pub/sub). Either set REDIS_URL=redis://host:port ' +
  '(a server the tests may write to under test:* keys), or install redis-server on the PATH ' +
  '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) so the tests can ' +
  'start their own.';

/** A key prefix no other test run uses: `test:<random hex>:`. */
export function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

/** A free TCP port on 127.0.0.1 (free when asked; the server is started right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends one inline command on a raw socket and resolves with the first reply line. */
function rawCommand(port: number, command: string, timeoutMs = 500): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${command}`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.split('\r\n')[0]!);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
  });
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A private redis-server: stop it, kill it, start it again on the same port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Whether the process runs. */
  readonly running: boolean;
  /**
   * Stops the server. `save: true` writes the dataset first (it is loaded again by `start()`);
   * otherwise the data is lost, like a crash without persistence.
   */
  stop(options?: { save?: boolean }): Promise<void>;
  /** Starts it again on the same port (and data directory). */
  start(): Promise<void>;
  /** Stops it for good and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * Starts a private `redis-server` on a free port (`--save "" --appendonly no`, data directory
 * in the system temp dir).
 * @throws Error with instructions when `redis-server` cannot be started.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'ws-redis-test-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    if (child !== undefined) return;
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const spawned = spawn('redis-server', [...args, '--dir', dir], { stdio: 'ignore' });
    child = spawned;
    let failure: Error | undefined;
    exited = new Promise((resolve) => {
      spawned.once('error', (error) => {
        failure = error;
        resolve();
      });
      spawned.once('exit', () => resolve());
    });
    void exited.then(() => {
      if (child === spawned) child = undefined;
    });
    await waitUntil(
      async () => {
        if (failure !== undefined) throw failure;
        return (await rawCommand(port, 'PING')) === '+PONG';
      },
      10_000,
      `redis-server did not answer on port ${port}`,
    ).catch((error: unknown) => {
      spawned.kill('SIGKILL');
      const reason = failure?.message ?? (error instanceof Error ? error.message : String(error));
      throw new Error(`Could not start redis-server (${reason}). ${HOW_TO_GET_REDIS}`);
    });
  };

  const stop = async (options: { save?: boolean } = {}): Promise<void> => {
    const running = child;
    if (running === undefined) return;
    if (options.save === true) {
      await rawCommand(port, 'SHUTDOWN SAVE', 5000).catch(() => undefined);
    } else {
      running.kill('SIGKILL');
    }
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined;
    },
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP proxy in front of a server, for cutting one client's connection without touching the
 * server or its other clients (a network partition of one node).
 */
export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** Drops every open connection and refuses new ones until {@link restore}. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a {@link TcpProxy} on a free port to `targetPort` on 127.0.0.1. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let refusing = false;
  const server = createServer((downstream) => {
    if (refusing) {
      downstream.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [from, to] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  const cut = (): void => {
    refusing = true;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cut,
    restore() {
      refusing = false;
    },
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Redis shared by the tests of one file. */
export interface SharedRedis {
  readonly url: string;
  /** Stops the private server, if one was started (never touches a `REDIS_URL` server). */
  release(): Promise<void>;
}

/** `REDIS_URL` when set, otherwise a private server (see {@link startRedisServer}). */
export async function useSharedRedis(): Promise<SharedRedis> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    return { url: fromEnv, release: () => Promise.resolve() };
  }
  const server = await startRedisServer();
  return { url: server.url, release: () => server.dispose() };
}

/** Deletes every key under `prefix` (and only those) on the server at `url`. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  if (!/^test:[0-9a-f]+:$/.test(prefix)) throw new Error(`refusing to delete keys under ${prefix}`);
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  let deleted = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) deleted += await client.unlink(keys);
    }
  } finally {
    client.destroy();
  }
  return deleted;
}
