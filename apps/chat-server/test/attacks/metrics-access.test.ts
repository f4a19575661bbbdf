/**
 * Attack: `/metrics` was open on the public port to anyone. With `METRICS_TOKEN` it needs
 * `Authorization: Bearer <token>`; with `METRICS_PORT` it leaves the public port for a listener
 * of its own (docs/security.md#metrics).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TOKEN = 'metrics-token-for-the-test-0123';
let guarded: TestServer;
let separate: TestServer;

beforeAll(async () => {
  [guarded, separate] = await Promise.all([
    startTestServer({ METRICS_TOKEN: TOKEN }),
    startTestServer({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN }),
  ]);
});

afterAll(async () => {
  await Promise.all([guarded.server.close(), separate.server.close()]);
});

const withToken = (token: string): RequestInit => ({
  headers: { Authorization: `Bearer ${token}` },
});

describe('attack: reading /metrics without being the operator', () => {
  it('with METRICS_TOKEN, /metrics is 401 without the token or with a wrong one', async () => {
    const open = await fetch(`${guarded.url}/metrics`);
    expect(open.status).toBe(401);
    expect(await open.text()).not.toContain('chat_ws_connections');
    expect((await fetch(`${guarded.url}/metrics`, withToken(`${TOKEN}x`))).status).toBe(401);
    expect((await fetch(`${guarded.url}/metrics`, withToken(TOKEN.slice(1)))).status).toBe(401);
    const allowed = await fetch(`${guarded.url}/metrics`, withToken(TOKEN));
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('chat_ws_connections');
  });

  it('with METRICS_PORT, /metrics is not on the public port but on its own', async () => {
    expect((await fetch(`${separate.url}/metrics`, withToken(TOKEN))).status).toBe(404);
    expect(separate.server.metricsUrl).not.toBe(`${separate.url}/metrics`);
    expect((await fetch(separate.server.metricsUrl)).status).toBe(401);
    const allowed = await fetch(separate.server.metricsUrl, withToken(TOKEN));
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('chat_ws_connections');
    // Nothing else is served there.
    const other = separate.server.metricsUrl.replace(/\/metrics$/, '/api/v1/agents');
    expect((await fetch(other)).status).toBe(404);
  });
});
