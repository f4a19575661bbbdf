import http from 'node:http';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ JWT_ISSUER: 'chat-tests', JWT_AUDIENCE: 'chat' });
});

afterAll(async () => {
  await test.server.close();
});

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${test.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
}

describe('POST /api/v1/dev/login', () => {
  it('signs an HS256 token for the user, with iss and aud, valid one hour', async () => {
    const response = await post('/api/v1/dev/login', '{"userId":"alice"}');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; expiresAt: string };
    const claims = decodeJwt(body.token);
    expect(claims).toMatchObject({ sub: 'alice', iss: 'chat-tests', aud: 'chat' });
    expect(new Date(body.expiresAt).getTime()).toBe(Number(claims.exp) * 1000);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it.each([
    ['not json', 400, 'invalid_json', 'The request body must be valid JSON'],
    ['[]', 400, 'invalid_request', 'The body must be a JSON object such as {"userId":"alice"}'],
    ['{}', 400, 'invalid_request', 'userId is required'],
    ['{"userId":42}', 400, 'invalid_request', 'userId must be a string'],
    ['{"userId":""}', 400, 'invalid_request', 'userId must not be empty'],
    [
      JSON.stringify({ userId: 'x'.repeat(129) }),
      400,
      'invalid_request',
      'userId must be at most 128 characters',
    ],
    [
      JSON.stringify({ userId: 'a\nb' }),
      400,
      'invalid_request',
      'userId must not contain control characters',
    ],
  ])('%s → %i %s', async (body, status, code, message) => {
    const response = await post('/api/v1/dev/login', body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message).toContain(message);
  });

  it('accepts a body sent without a JSON content type', async () => {
    const response = await fetch(`${test.url}/api/v1/dev/login`, {
      method: 'POST',
      body: '{"userId":"curl"}',
    });
    expect(response.status).toBe(200);
  });

  it('is 404 when the development login is off', async () => {
    const off = await startTestServer({ DEV_LOGIN: '0' });
    try {
      const response = await fetch(`${off.url}/api/v1/dev/login`, {
        method: 'POST',
        body: '{"userId":"alice"}',
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    } finally {
      await off.server.close();
    }
  });
});

describe('POST /api/v1/ws-ticket', () => {
  it('issues a single-use ticket that opens a socket for the token user', async () => {
    const token = await devLogin(test.url, 'henry');
    const response = await post('/api/v1/ws-ticket', '', { Authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    const { ticket, expiresAt } = (await response.json()) as { ticket: string; expiresAt: string };
    expect(typeof ticket).toBe('string');
    const ttl = new Date(expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const client = await ChatClient.connect(test.wsUrl, undefined, { ticket });
    try {
      expect(await client.waitForType('welcome')).toMatchObject({ userId: 'henry' });
    } finally {
      await client.close();
    }
    await expect(ChatClient.connect(test.wsUrl, undefined, { ticket })).rejects.toThrow(/HTTP 401/);
  });

  it('is 401 without a valid JWT', async () => {
    const missing = await post('/api/v1/ws-ticket', '');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const invalid = await post('/api/v1/ws-ticket', '', { Authorization: 'Bearer not.a.jwt' });
    expect(invalid.status).toBe(401);
  });
});

describe('other endpoints', () => {
  it('lists the agents', async () => {
    const response = await fetch(`${test.url}/api/v1/agents`);
    expect(response.status).toBe(200);
    const agents = (await response.json()) as { name: string; description: string }[];
    expect(agents.map((agent) => agent.name)).toEqual(['assistant']);
    expect(agents[0]?.description).toEqual(expect.any(String));
  });

  it('serves the chat page, or says how to build it', async () => {
    const response = await fetch(`${test.url}/`);
    const body = await response.text();
    // `npm test` builds first, so the page is there; a bare `vitest run` may precede any build.
    if (response.status === 200) {
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(body).toMatch(/app\.js/);
    } else {
      expect(response.status).toBe(503);
      expect(body).toMatch(/build/);
    }
  });

  it('answers unknown routes with 404 JSON', async () => {
    const response = await fetch(`${test.url}/api/v1/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'There is no GET /api/v1/nothing' },
    });
  });

  it('refuses bodies over 64 KiB', async () => {
    const response = await post(
      '/api/v1/dev/login',
      JSON.stringify({ userId: 'x'.repeat(70_000) }),
    );
    expect(response.status).toBe(413);
  });

  it('reads chunked bodies (no Content-Length) and still limits them', async () => {
    const sendChunked = (chunks: string[]): Promise<number> =>
      new Promise((resolve, reject) => {
        const request = http.request(
          `${test.url}/api/v1/dev/login`,
          { method: 'POST', headers: { 'content-type': 'application/json' } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        for (const chunk of chunks) request.write(chunk);
        request.end();
      });
    expect(await sendChunked(['{"userId":', '"chunky"}'])).toBe(200);
    expect(await sendChunked(['{"userId":"', 'x'.repeat(70_000), '"}'])).toBe(413);
  });

  it('reports liveness and readiness', async () => {
    const live = await fetch(`${test.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${test.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: {
        shutdown: { status: 'ok' },
        engine: { status: 'ok' },
        database: { status: 'ok' },
      },
    });
  });

  it('exposes the Prometheus metrics of the process, the hub and the routes', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'ivan'));
    await client.waitForType('welcome');
    await client.close();
    const response = await fetch(`${test.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'chat_ws_connections',
      'chat_ws_events_sent_total',
      'chat_ws_resumes_total',
      'chat_ws_closes_total',
      'chat_ws_refusals_total',
      'chat_ws_rate_limited_total',
      'chat_runs_total',
      'chat_runs_active',
      'chat_run_stalls_total',
      'chat_run_first_event_seconds',
      'chat_run_duration_seconds',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).not.toContain('ivan');
  });

  it('has no test hooks outside NODE_ENV=test', async () => {
    const dev = await startTestServer({ NODE_ENV: 'development' });
    try {
      const response = await fetch(`${dev.url}/api/v1/test/drop-connections`, {
        method: 'POST',
        body: '{"userId":"a"}',
      });
      expect(response.status).toBe(404);
    } finally {
      await dev.server.close();
    }
  });
});
