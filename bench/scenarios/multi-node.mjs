/**
 * Scenario 5 (ours only): fan-out across nodes over Redis. Scenario 1's measurement with
 * (a) 1 node, in-memory engine; (b) 1 node, Redis engine; (c) 2 nodes sharing Redis, each
 * user's clients split between them, the runs on node A — so half the deliveries cross Redis.
 * Redis commands per delivered event: INFO commandstats delta over each repetition. Needs
 * @app/ws-redis's engine: when it is not there, the scenario says so instead of producing
 * numbers.
 */
import { randomBytes } from 'node:crypto';
import { commandStats, redisAvailability, startRedis, statsDelta } from '../lib/redis.mjs';
import { loadRedisEngineFactory } from '../servers/redis-engine.mjs';
import { runFanoutComparison } from './fanout-comparison.mjs';
import { FANOUT_METRICS, row } from './fanout.mjs';

const METRICS = [
  ...FANOUT_METRICS,
  {
    key: 'redisCommandsPerDelivered',
    label: 'Redis commands per delivered event',
    unit: 'cmd',
    better: 'lower',
  },
  {
    key: 'redisCommandsPerEmitted',
    label: 'Redis commands per emitted event',
    unit: 'cmd',
    better: 'lower',
  },
];

export default {
  id: 'multi-node',
  title: 'Multi-node over Redis',
  description: (c) =>
    `Scenario 1 for ours (${c.users * c.perUser} clients of ${c.users} users): 1 node in memory vs 1 node on ` +
    `the Redis engine (full runs only) vs 2 nodes on Redis (each user's clients split over both nodes, runs on node A). ` +
    `Redis commands per delivered event from INFO commandstats.`,
  configKey: 'fanout',
  async probe() {
    const loaded = await loadRedisEngineFactory();
    if (!loaded.ok) return { ok: false, reason: loaded.reason };
    return redisAvailability();
  },
  async run(h, config) {
    const redis = await startRedis();
    const prefix = `bench:${randomBytes(4).toString('hex')}:`;
    const rows = [];
    const problems = [];
    try {
      const configs = [
        { variant: 'memory-1', label: '1 node, in memory', nodes: 1, redis: false },
        // Separates the Redis engine's own cost from the cross-node delivery (full runs only).
        ...(h.quick ? [] : [{ variant: 'redis-1', label: '1 node, Redis', nodes: 1, redis: true }]),
        { variant: 'redis-2', label: '2 nodes, Redis', nodes: 2, redis: true },
      ];
      for (const c of configs) {
        const servers = [];
        try {
          const envs = Array.from({ length: c.nodes }, (_, n) =>
            c.redis
              ? {
                  REDIS_URL: redis.url,
                  BENCH_REDIS_PREFIX: `${prefix}${c.variant}:`,
                  SERVER_ID: `bench-node-${n + 1}`,
                }
              : {},
          );
          servers.push(...(await h.servers(envs.map((env) => ['ours', env]))));
          let before;
          // One variant at a time (not interleaved): the command statistics of a measurement
          // then hold only this deployment's commands (its background ones included).
          const series = await runFanoutComparison(
            h,
            [
              {
                key: c.variant,
                label: c.label,
                servers,
                beforeRep: async () => {
                  if (c.redis) before = await commandStats(redis.url);
                },
                afterRep: async (figures) => {
                  if (!c.redis) {
                    figures.redisCommandsPerDelivered = 0;
                    figures.redisCommandsPerEmitted = 0;
                    return;
                  }
                  const delta = statsDelta(before, await commandStats(redis.url));
                  const delivered = figures.burstDelivered + figures.pacedDelivered;
                  figures.redisCommandsPerDelivered = delta.total / delivered;
                  figures.redisCommandsPerEmitted = delta.total / figures.emittedEvents;
                  figures.redisCommands = Object.fromEntries(
                    Object.entries(delta)
                      .filter(([k]) => k !== 'total')
                      .sort((a, b) => b[1] - a[1])
                      .map(([k, v]) => [k, Math.round((v / figures.emittedEvents) * 100) / 100]),
                  );
                },
              },
            ],
            config,
          );
          series.runs = series.runs[c.variant];
          problems.push(...series.problems.map((p) => `${c.label}: ${p}`));
          const r = row(
            c.variant,
            series.runs.map(({ redisCommands: _commands, ...rest }) => rest),
            c.label,
          );
          const commands = series.runs.at(-1)?.redisCommands;
          if (commands) {
            // INFO commandstats counts the commands a Lua script runs too: evalsha is one
            // round trip, the hget/pexpire/… below it are mostly inside the append script.
            r.redisCommandsPerEmittedEvent = commands;
            r.notes = [
              `Redis commands per emitted event (last repetition; script-internal calls included): ${Object.entries(
                commands,
              )
                .slice(0, 10)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')}`,
            ];
          }
          rows.push(r);
        } finally {
          await Promise.all(servers.map((s) => s.stop()));
        }
      }
    } finally {
      await redis.stop();
    }
    return {
      metrics: METRICS,
      rows,
      baseline: 'memory-1',
      problems,
      targets: [],
      notes: [`Redis: ${redis.source}, version ${redis.version}; key prefix ${prefix}`],
    };
  },
};
