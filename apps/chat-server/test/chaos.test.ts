/**
 * Chaos, checked on the wire: SDK clients (`@app/ws-client` over a recording `ws` class) of
 * several users run agents concurrently while sockets are dropped at seeded points of the
 * users' streams — by the client (a cut) or by the server (the test hook). Every frame each
 * connection received is checked as the server sent it, before the SDK hides duplicates or
 * repairs gaps (support/chaos-harness.ts), against the stream the server stored.
 *
 * Two systems: one in-process server on the in-memory engine, and two built server processes
 * over one real Redis (and PostgreSQL for history), with every reconnect moving to the other
 * node. The seed and drop schedule are printed first; `CHAOS_SEED=<seed>` replays them.
 */
import { createRedisEngine, type RedisStreamEngine } from '@app/ws-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  type SharedRedis,
  uniquePrefix,
  useSharedRedis,
} from '../../../packages/ws-redis/test-support/redis-harness.js';
import { runChaos, type ChaosOutcome, type ChaosPlan } from './support/chaos-harness.js';
import {
  assertBuilt,
  type ChatNode,
  clusterEnv,
  devLoginOn,
  readiness,
  startNode,
  stopAllNodes,
  waitUntil,
} from './support/multi-node-cluster.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

/** Bound of each wait inside a run: only a hung run meets it. */
const WAIT_MS = 60_000;
/** Bound of a whole variant (a hung run fails, a slow machine does not). */
const VARIANT_TIMEOUT_MS = 240_000;

/** Server limits loose enough that only the protocol, not a limit, decides the outcome. */
function looseLimits(tabsPerUser: number): Record<string, string> {
  return {
    // Drops come from the schedule only: no heartbeat timeout on a loaded machine.
    WS_HEARTBEAT_MS: '15000',
    WS_MAX_RUNS_PER_USER: String(tabsPerUser * 2),
    WS_MAX_CONNECTIONS_PER_USER: String(tabsPerUser * 4),
    WS_CONNECT_ATTEMPTS_PER_MINUTE: '100000',
    WS_RATE_PER_SECOND: '200',
    WS_RATE_BURST: '400',
  };
}

/** What every variant asserts about its outcome. */
function expectClean(outcome: ChaosOutcome, plan: ChaosPlan): void {
  const context = `CHAOS_SEED=${outcome.seed}`;
  expect(outcome.problems, context).toEqual([]);
  // The chaos happened: every drop fired, and dropped tabs came back by resuming completely.
  expect(outcome.fired, context).toBe(plan.drops);
  const cuts = outcome.schedule.filter((drop) => drop.kind === 'cut').length;
  expect(outcome.completeConnectResumes, context).toBeGreaterThanOrEqual(cuts);
  expect(outcome.connections, context).toBeGreaterThan(plan.users * plan.tabsPerUser);
}

describe('chaos on the in-memory engine: one server, 10 users × 5 tabs, drops during slow runs', () => {
  /** `slow 8` at 100 ms a "second": `user_message`, `agent_started`, 9 × thinking, the end. */
  const plan: ChaosPlan = {
    name: 'memory',
    users: 10,
    tabsPerUser: 5,
    runsPerTab: 3,
    runTexts: ['slow 8'],
    minEventsPerRun: 12,
    drops: 24,
    waitMs: WAIT_MS,
  };
  let test: TestServer | undefined;

  beforeAll(async () => {
    test = await startTestServer(looseLimits(plan.tabsPerUser), {
      agents: { assistant: { slowTickMs: 100 } },
    });
  });

  afterAll(async () => {
    await test?.server.close();
  });

  it(
    'every connection gets its user’s stream in order with no gap or repeat, and every tab the whole stream',
    async () => {
      const server = test!;
      const outcome = await runChaos(
        {
          nodes: [{ url: server.url, wsUrl: server.wsUrl }],
          readStream: (userId) => server.server.hub.engine.readSince(userId, 0),
          login: (userId) => devLogin(server.url, userId),
        },
        plan,
      );
      expectClean(outcome, plan);
    },
    VARIANT_TIMEOUT_MS,
  );
});

describe('chaos on the Redis engine: two server processes, 8 users × 4 tabs, drops on both nodes', () => {
  /** `slow 1` (1 s) and a calculator run: each emits at least 5 events. */
  const plan: ChaosPlan = {
    name: 'redis',
    users: 8,
    tabsPerUser: 4,
    runsPerTab: 3,
    runTexts: ['slow 1', 'what is 12*(3+4)?'],
    minEventsPerRun: 5,
    drops: 24,
    waitMs: WAIT_MS,
  };
  const prefix = uniquePrefix();
  let redis: SharedRedis | undefined;
  let database: TestPostgres | undefined;
  let reader: RedisStreamEngine | undefined;
  let nodes: ChatNode[] = [];

  beforeAll(async () => {
    assertBuilt();
    redis = await useSharedRedis();
    database = await createTestPostgres();
    const env = {
      ...clusterEnv({ redisUrl: redis.url, keyPrefix: prefix, databaseUrl: database.url }),
      ...looseLimits(plan.tabsPerUser),
    };
    nodes = await Promise.all([startNode('chaos-a', env), startNode('chaos-b', env)]);
    await waitUntil(
      async () => (await Promise.all(nodes.map(readiness))).every((r) => r.status === 200),
      60_000,
      'both nodes ready',
    );
    // Reads the stored streams, as a third node would.
    reader = createRedisEngine({ url: redis.url, keyPrefix: prefix, serverId: 'chaos-reader' });
    await reader.ready();
  }, 120_000);

  afterAll(async () => {
    await reader?.close();
    await stopAllNodes();
    if (redis !== undefined) {
      await deleteKeys(redis.url, prefix).catch(() => undefined);
      await redis.release();
    }
    await database?.drop();
  }, 30_000);

  it(
    'every connection gets its user’s stream in order with no gap or repeat, and every tab the whole stream',
    async () => {
      const [first] = nodes;
      const outcome = await runChaos(
        {
          nodes,
          readStream: (userId) => reader!.readSince(userId, 0),
          login: (userId) => devLoginOn(first!, userId),
        },
        plan,
      );
      expectClean(outcome, plan);
      // Tabs resumed on the other node too, not only where they had been.
      expect(outcome.crossNodeReconnects, `CHAOS_SEED=${outcome.seed}`).toBeGreaterThan(0);
    },
    VARIANT_TIMEOUT_MS,
  );
});
