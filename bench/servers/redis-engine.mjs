/**
 * The Redis stream engine of our stack for the multi-node scenario, from the built
 * @app/ws-redis. Kept apart so the orchestrator can probe it (`probeRedisEngine`) and report
 * "not available: <reason>" instead of failing or faking numbers.
 */

const FACTORY_NAMES = ['createRedisEngine', 'createRedisStreamEngine'];

/** The engine factory of @app/ws-redis, or a reason why there is none. */
export async function loadRedisEngineFactory() {
  let mod;
  try {
    mod = await import('@app/ws-redis');
  } catch (error) {
    return {
      ok: false,
      reason: `@app/ws-redis cannot be imported (${error.message.split('\n')[0]})`,
    };
  }
  for (const name of FACTORY_NAMES) {
    if (typeof mod[name] === 'function') return { ok: true, name, factory: mod[name], module: mod };
  }
  const exported = Object.keys(mod);
  return {
    ok: false,
    reason: `@app/ws-redis (built dist) exports no engine factory (${FACTORY_NAMES.join(' / ')}); exports: ${exported.length ? exported.join(', ') : 'none'}`,
  };
}

/** Creates the engine from REDIS_URL and BENCH_REDIS_PREFIX. */
export async function createRedisEngineFromEnv({ serverId, retention }) {
  const loaded = await loadRedisEngineFactory();
  if (!loaded.ok) throw new Error(loaded.reason);
  const engine = loaded.factory({
    url: process.env.REDIS_URL,
    keyPrefix: process.env.BENCH_REDIS_PREFIX ?? 'bench:',
    serverId,
    retention,
  });
  // Listen only once Redis is reachable, so the first measurement does not time a connect.
  if (typeof engine.ready === 'function') {
    let timer;
    await Promise.race([
      engine.ready(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis at ${process.env.REDIS_URL} not ready in 10 s`)),
          10_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }
  return engine;
}
