/**
 * A private Redis Cluster for tests (docs/scaling.md#rule-8-redis-cluster and rule 7): three
 * masters (`redis-server --cluster-enabled yes`) on free loopback ports, joined by
 * `redis-cli --cluster create … --cluster-yes`, ready once every node reports
 * `cluster_state:ok`. Each master keeps an append-only file fsynced on every write, so a master
 * killed and restarted with the same config file comes back with its data. `dispose()` kills
 * every server and removes their directories.
 *
 * Plain test support, imported by relative path (also by apps/chat-server's multi-node tests).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { freePort } from './redis-harness';

const run = promisify(execFile);

/** One master of the test cluster. */
interface ClusterNodeServer {
  readonly port: number;
  readonly running: boolean;
  /** Kills the process (SIGKILL: a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port, config file and data directory. */
  start(): Promise<void>;
}

/** A running test cluster. */
export interface RedisClusterServer {
  /** `redis://127.0.0.1:<port>` of the first master: the seed node (`REDIS_URL`). */
  readonly url: string;
  readonly nodes: readonly ClusterNodeServer[];
  /** Resolves once every running node reports `cluster_state:ok`. */
  waitUntilOk(timeoutMs?: number): Promise<void>;
  /** Kills every node and removes their directories. */
  dispose(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (+10000) is free too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 50_000 && !taken.has(port) && (await portFree(port + 10_000))) {
      taken.add(port);
      return port;
    }
  }
}

async function clusterState(port: number): Promise<string> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.sendCommand<string>(['CLUSTER', 'INFO']);
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? '';
  } finally {
    client.destroy();
  }
}

async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a cluster of `masters` masters (no replicas).
 * @throws Error when `redis-server` or `redis-cli` cannot be run (no silent skip).
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ws-redis-cluster-'));
  const taken = new Set<number>();
  const nodes: (ClusterNodeServer & { exited: Promise<void> })[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freeClusterPort(taken);
      let child: ChildProcess | undefined;
      const node = {
        port,
        exited: Promise.resolve(),
        get running() {
          return child !== undefined;
        },
        async start() {
          if (child !== undefined) return;
          const spawned = spawn(
            'redis-server',
            [
              '--port',
              String(port),
              '--bind',
              '127.0.0.1',
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              path.join(dir, `nodes-${port}.conf`),
              '--cluster-node-timeout',
              '2000',
              '--dir',
              dir,
              '--dbfilename',
              `dump-${port}.rdb`,
              '--appendonly',
              'yes',
              '--appendfilename',
              `appendonly-${port}.aof`,
              '--appenddirname',
              `aof-${port}`,
              '--appendfsync',
              'always',
              '--save',
              '',
            ],
            { stdio: 'ignore' },
          );
          child = spawned;
          node.exited = new Promise((resolve) => {
            spawned.once('exit', () => {
              if (child === spawned) child = undefined;
              resolve();
            });
            spawned.once('error', () => resolve());
          });
          await pollUntil(
            async () => {
              if (child !== spawned) throw new Error('redis-server exited');
              const client = createClient({ url: `redis://127.0.0.1:${port}` });
              client.on('error', () => undefined);
              try {
                await client.connect();
                return (await client.ping()) === 'PONG';
              } finally {
                client.destroy();
              }
            },
            10_000,
            `redis-server --cluster-enabled did not answer on port ${port}`,
          );
        },
        async kill() {
          const running = child;
          if (running === undefined) return;
          running.kill('SIGKILL');
          await node.exited;
        },
      };
      nodes.push(node);
      await node.start();
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-yes',
    ]);
  } catch (error) {
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not start a Redis Cluster (${reason}). These tests need redis-server and redis-cli 7+ on the PATH.`,
      { cause: error },
    );
  }
  const waitUntilOk = (timeoutMs = 30_000): Promise<void> =>
    pollUntil(
      async () =>
        (await Promise.all(nodes.filter((n) => n.running).map((n) => clusterState(n.port)))).every(
          (state) => state === 'ok',
        ),
      timeoutMs,
      'the cluster did not report cluster_state:ok',
    );
  await waitUntilOk();
  return {
    url: `redis://127.0.0.1:${nodes[0]!.port}`,
    nodes,
    waitUntilOk,
    async dispose() {
      await Promise.all(nodes.map((n) => n.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
