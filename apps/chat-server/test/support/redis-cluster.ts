/**
 * One test file's cluster: built chat-server processes (see `multi-node-cluster.ts`) over the
 * shared Redis (under a prefix of this file's own) and a PostgreSQL database of its own, started
 * in `beforeAll` and stopped — nodes killed, keys deleted, database dropped — in `afterAll`.
 */
import { afterAll, beforeAll } from 'vitest';
import {
  deleteKeys,
  type SharedRedis,
  uniquePrefix,
  useSharedRedis,
} from '../../../../packages/ws-redis/test-support/redis-harness.js';
import {
  assertBuilt,
  type ChatNode,
  clusterEnv,
  readiness,
  startNode,
  stopAllNodes,
  waitUntil,
} from './multi-node-cluster.js';
import { NodeClients } from './node-clients.js';
import { createTestPostgres, type TestPostgres } from './postgres-database.js';

/** A node to start: its `SERVER_ID`, and variables on top of the cluster's. */
export interface NodeSpec {
  serverId: string;
  env?: Record<string, string>;
}

/** The running cluster of {@link useRedisCluster}. */
export interface RedisCluster {
  /** The node started as `serverId`. @throws Error before `beforeAll` ran */
  node(serverId: string): ChatNode;
  /** The clients the file opens; closed in `afterAll`. */
  readonly clients: NodeClients;
}

/** How long every node gets to report ready once all listen (a guard, wide for loaded CI). */
const READY_TIMEOUT_MS = 60_000;

/**
 * Registers the `beforeAll` that starts `specs` (each ready: `GET /health/ready` 200) and the
 * `afterAll` that stops them and cleans up.
 */
export function useRedisCluster(specs: readonly NodeSpec[]): RedisCluster {
  const prefix = uniquePrefix();
  const nodes = new Map<string, ChatNode>();
  const clients = new NodeClients();
  let redis: SharedRedis | undefined;
  let database: TestPostgres | undefined;

  beforeAll(async () => {
    assertBuilt();
    redis = await useSharedRedis();
    database = await createTestPostgres();
    const env = clusterEnv({ redisUrl: redis.url, keyPrefix: prefix, databaseUrl: database.url });
    const started = await Promise.all(
      specs.map((spec) => startNode(spec.serverId, { ...env, ...spec.env })),
    );
    for (const node of started) nodes.set(node.serverId, node);
    await waitUntil(
      async () => (await Promise.all(started.map(readiness))).every((r) => r.status === 200),
      READY_TIMEOUT_MS,
      'every node ready',
    );
  }, 240_000);

  afterAll(async () => {
    await clients.closeAll();
    await stopAllNodes();
    if (redis !== undefined) {
      await deleteKeys(redis.url, prefix).catch(() => undefined);
      await redis.release();
    }
    await database?.drop();
  }, 30_000);

  return {
    node(serverId) {
      const node = nodes.get(serverId);
      if (node === undefined) throw new Error(`no node ${serverId} was started`);
      return node;
    },
    clients,
  };
}
