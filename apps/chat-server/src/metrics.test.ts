import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { bearerMatches, metricsRoutes } from './metrics.js';

describe('bearerMatches', () => {
  it('accepts exactly Bearer <token>', () => {
    const token = 'a-metrics-token-0123';
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token.slice(0, -1)}`, token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
    expect(bearerMatches('Bearer ', token)).toBe(false);
  });
});

describe('metricsRoutes', () => {
  it('serves the registry openly without a token, and only to the bearer with one', async () => {
    const registry = new Registry();
    const open = metricsRoutes(registry);
    expect((await open.request('/')).status).toBe(200);
    const guarded = metricsRoutes(registry, { token: 'a-metrics-token-0123' });
    guarded.onError((_error, c) => c.text('refused', 401));
    expect((await guarded.request('/')).status).toBe(401);
    const allowed = await guarded.request('/', {
      headers: { Authorization: 'Bearer a-metrics-token-0123' },
    });
    expect(allowed.status).toBe(200);
  });
});
