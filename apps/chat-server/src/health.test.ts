import { describe, expect, it } from 'vitest';
import { checkReadiness, healthRoutes, type ReadinessCheck } from './health.js';

const ok: ReadinessCheck = { name: 'ok', check: () => ({ ok: true }) };
const failing: ReadinessCheck = {
  name: 'db',
  check: async () => ({ ok: false, message: 'connection refused' }),
};
const throwing: ReadinessCheck = {
  name: 'redis',
  check: () => {
    throw new Error('boom');
  },
};
const hanging: ReadinessCheck = { name: 'slow', check: () => new Promise(() => {}) };

describe('checkReadiness', () => {
  it('is ready when every check passes', async () => {
    expect(await checkReadiness([ok])).toEqual({
      status: 'ready',
      checks: { ok: { status: 'ok' } },
    });
  });

  it('lists failing, throwing and hanging checks', async () => {
    expect(await checkReadiness([ok, failing, throwing, hanging], 30)).toEqual({
      status: 'not_ready',
      checks: {
        ok: { status: 'ok' },
        db: { status: 'failing', message: 'connection refused' },
        redis: { status: 'failing', message: 'boom' },
        slow: { status: 'failing', message: 'no answer within 30 ms' },
      },
    });
  });
});

describe('healthRoutes', () => {
  it('answers live and ready', async () => {
    const app = healthRoutes([ok]);
    const live = await app.request('/live');
    expect(live.status).toBe(200);
    const ready = await app.request('/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { ok: { status: 'ok' } } });
  });

  it('answers 503 with the failing checks', async () => {
    const response = await healthRoutes([ok, failing]).request('/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'not_ready',
      checks: { db: { status: 'failing' } },
    });
  });
});
