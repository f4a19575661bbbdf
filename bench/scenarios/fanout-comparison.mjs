/**
 * The fan-out measurement, shared by the fan-out, logging and multi-node scenarios.
 *
 * Every variant (a stack, a log level, a deployment) gets its own servers and its own
 * `users` × `perUser` clients, all connected before measuring starts; then each repetition
 * measures every variant in turn (the order rotates per repetition), so a change in the
 * machine's load during the run affects all variants alike. One measurement:
 * 1. throughput: a burst of `burstEvents` events per user emitted as fast as the server goes
 *    (one round over all users per event-loop turn; ≤ 2000 per user, so ≤ ~600 KB backlog per
 *    connection stays below ours' 1 MiB outbound bound); delivered events/s = events received by
 *    all clients / (last receipt − start of the emission): the rate the whole path sustains with
 *    a bounded backlog, every event accounted for;
 * 2. latency: events paced at 50 % of that rate for `latencyMs`; p50/p99 of receive time − emit
 *    time (written into the event by the server, same machine clock).
 * A warm-up burst per variant comes first and is not counted.
 */

/**
 * @param {import('../lib/harness.mjs').Harness} h
 * @param {Array<{key: string, label: string, servers: object[], emitOn?: object,
 *   beforeRep?: () => Promise<void>, afterRep?: (figures: object) => Promise<void>}>} variants
 *   each variant's clients are spread round-robin over its `servers`; events are emitted on
 *   `emitOn` (default the first server)
 * @param {{users: number, perUser: number, burstEvents: number, latencyMs: number, warmupEvents: number}} config
 * @returns {Promise<{runs: Record<string, object[]>, problems: string[]}>}
 */
export async function runFanoutComparison(h, variants, config) {
  const problems = [];
  const runs = {};
  const prepared = [];
  try {
    for (const variant of variants) {
      const users = h.users(config.users);
      const specs = [];
      for (let c = 0; c < config.perUser; c++) {
        users.forEach((userId, u) =>
          specs.push({ userId, server: variant.servers[(u + c) % variant.servers.length] }),
        );
      }
      const connected = await h.connect(variant.servers[0], specs, {
        concurrency: 32,
        group: variant.key,
      });
      if (connected.failed > 0) {
        problems.push(
          `${variant.label}: ${connected.failed} of ${specs.length} connections failed: ${JSON.stringify(connected.errors)}`,
        );
      }
      if (connected.connected === 0)
        throw new Error(
          `${variant.label}: no client connected ${JSON.stringify(connected.errors)}`,
        );
      h.log(`  ${variant.label}: ${connected.connected} clients connected`);
      const emitOn = variant.emitOn ?? variant.servers[0];
      await h.emitAndReceive(
        emitOn,
        { users, eventsPerUser: config.warmupEvents },
        { timeoutMs: 30_000, group: variant.key },
      );
      prepared.push({ ...variant, users, emitOn });
      runs[variant.key] = [];
    }
    // One uncounted round over all variants once every client is connected: the first measured
    // variant then starts from the same state as the others.
    for (const variant of prepared) {
      await h.emitAndReceive(
        variant.emitOn,
        { users: variant.users, eventsPerUser: config.warmupEvents },
        { timeoutMs: 30_000, group: variant.key },
      );
    }
    for (let rep = 1; rep <= h.reps; rep++) {
      for (let i = 0; i < prepared.length; i++) {
        const variant = prepared[(i + rep - 1) % prepared.length];
        const figures = await measureOnce(h, variant, config, rep, problems);
        runs[variant.key].push(figures);
      }
    }
  } finally {
    await h.closeClients();
  }
  return { runs, problems };
}

async function measureOnce(h, variant, config, rep, problems) {
  const { users, emitOn, key: group, label } = variant;
  await variant.beforeRep?.();
  const burst = await h.emitAndReceive(
    emitOn,
    { users, eventsPerUser: config.burstEvents },
    { timeoutMs: 60_000, group },
  );
  if (!burst.complete)
    problems.push(
      `${label} rep ${rep}: ${burst.expected - burst.received} of ${burst.expected} events not received in time`,
    );
  if (Object.keys(burst.closes).length)
    problems.push(`${label} rep ${rep}: unexpected closes ${JSON.stringify(burst.closes)}`);
  const rate = Math.max(100, (0.5 * (burst.deliveredPerSec ?? 0)) / config.perUser);
  const paced = await h.emitAndReceive(
    emitOn,
    { users, rate, durationMs: config.latencyMs },
    { recordLatency: true, timeoutMs: 60_000, group },
  );
  if (!paced.complete)
    problems.push(
      `${label} rep ${rep} (paced): ${paced.expected - paced.received} events not received`,
    );
  if (paced.negativeLatencies > 0)
    problems.push(`${label} rep ${rep}: ${paced.negativeLatencies} negative latencies (clock)`);
  const figures = {
    deliveredPerSec: burst.deliveredPerSec,
    p50Ms: paced.p50,
    p99Ms: paced.p99,
    pacedEmitRate: rate,
    pacedDeliveredPerSec: paced.deliveredPerSec,
    burstDelivered: burst.received,
    pacedDelivered: paced.received,
    lost: burst.expected - burst.received + (paced.expected - paced.received),
    emittedEvents: (burst.emitted.eventsPerUser + paced.emitted.eventsPerUser) * users.length,
  };
  await variant.afterRep?.(figures);
  h.log(
    `  ${label} rep ${rep}/${h.reps}: ${fmt(figures.deliveredPerSec)} delivered events/s; at 50 % (${fmt(rate)} emitted/s): p50 ${figures.p50Ms?.toFixed(2)} ms, p99 ${figures.p99Ms?.toFixed(2)} ms`,
  );
  return figures;
}

export function fmt(value) {
  return value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : Math.round(value).toLocaleString('en-US');
}
