import type { EngineHealth } from '@app/ws-core';
import { Hono } from 'hono';

/** One check's answer: healthy, or why not. */
type CheckResult = { ok: true } | { ok: false; message: string };

/**
 * Something readiness depends on (shutting down, Redis, the database…). Checks are a list, so
 * a new dependency adds a check without touching the endpoint.
 */
export interface ReadinessCheck {
  /** The key in the response's `checks`. */
  readonly name: string;
  /** A check that throws or exceeds the timeout counts as failing. */
  check(): CheckResult | Promise<CheckResult>;
}

/**
 * `redis` (multi-node mode): ok while the stream engine reaches Redis (both its connections are
 * up), failing with the engine's detail otherwise (`redis unreachable for 1200 ms (…)`).
 *
 * @param engine the Redis stream engine (anything with ws-core's `health()`)
 */
export function redisReadinessCheck(engine: {
  health(): Promise<EngineHealth> | EngineHealth;
}): ReadinessCheck {
  return {
    name: 'redis',
    async check() {
      const health = await engine.health();
      return health.ok ? { ok: true } : { ok: false, message: health.detail };
    },
  };
}

/** The body of `GET /health/ready`. */
export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, { status: 'ok' } | { status: 'failing'; message: string }>;
}

/** How long one check may take before it counts as failing. */
const READINESS_CHECK_TIMEOUT_MS = 2000;

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs = READINESS_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => runBounded(check, timeoutMs)));
  const report: ReadinessReport = { status: 'ready', checks: {} };
  checks.forEach((check, index) => {
    const result = results[index] ?? { ok: false, message: 'no result' };
    if (result.ok) {
      report.checks[check.name] = { status: 'ok' };
    } else {
      report.status = 'not_ready';
      report.checks[check.name] = { status: 'failing', message: result.message };
    }
  });
  return report;
}

async function runBounded(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, message: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /live` (200 while the process serves requests) and `GET /ready` (200 with every check ok,
 * otherwise 503 with the failing ones), mounted at `/health`.
 */
export function healthRoutes(checks: readonly ReadinessCheck[]): Hono {
  return new Hono()
    .get('/live', (c) => c.json({ status: 'live' }))
    .get('/ready', async (c) => {
      const report = await checkReadiness(checks);
      return c.json(report, report.status === 'ready' ? 200 : 503);
    });
}
