import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  metricValue,
  SECRET,
  signToken,
  TestClient,
  upgradeResponse,
  useTestServer,
} from '../test/harness.js';
import { createTokenVerifier } from './token-verifier.js';

const start = useTestServer();

const bearer = async (userId = 'alice'): Promise<Record<string, string>> => ({
  authorization: `Bearer ${await signToken(userId)}`,
});

describe('upgrade: welcome and subprotocol', () => {
  it('opens with exactly one welcome of the protocol shape', async () => {
    const s = await start();
    const client = await TestClient.open(s.url(), {
      headers: await bearer(),
      protocols: ['chat.v1'],
    });
    const welcome = await client.next();
    expect(welcome).toEqual({
      type: 'welcome',
      protocol: 1,
      connectionId: expect.stringMatching(/^c_/),
      userId: 'alice',
      epoch: expect.any(String),
      seq: 0,
      heartbeatMs: 5000,
      resumeWindow: { maxEvents: 1000, maxAgeMs: 300000, maxBytes: 1048576 },
      serverId: 'test-node',
      activeRuns: [],
    });
    expect(client.ws.protocol).toBe('chat.v1');
    client.send({ type: 'ping', id: 1 });
    expect(await client.next()).toEqual({ type: 'pong', ref: 1 });
    expect(client.frames.filter((f) => f.type === 'welcome')).toHaveLength(1);
  });

  it('accepts the bearer subprotocol but selects chat.v1, never the credential', async () => {
    const s = await start();
    const token = await signToken('alice');
    const client = await TestClient.open(s.url('/api/v1/websocket'), {
      protocols: ['chat.v1', `bearer.${token}`],
    });
    expect(await client.next('welcome')).toMatchObject({ userId: 'alice' });
    expect(client.ws.protocol).toBe('chat.v1');
    // Offered first, the bearer is still not selected (ws would echo the first offer).
    const raw = await upgradeResponse(s.port, '/ws', {
      'sec-websocket-protocol': `bearer.${token}, chat.v1`,
    });
    expect(raw.status).toBe(101);
    expect(raw.headers['sec-websocket-protocol']).toBe('chat.v1');
    const bearerOnly = await upgradeResponse(s.port, '/ws', {
      'sec-websocket-protocol': `bearer.${token}`,
    });
    expect(bearerOnly.status).toBe(101);
    expect(bearerOnly.headers['sec-websocket-protocol']).toBeUndefined();
  });
});

describe('upgrade: refusals in the order of docs/protocol.md#refused-upgrades', () => {
  it('answers each failing check with its status, the first failing check winning', async () => {
    let ready = true;
    const s = await start({
      isReady: () => ready,
      connectAttemptsPerMinute: 1000,
      hubOptions: { limits: { maxConnectionsPerUser: 1 } },
    });
    const badOrigin = { origin: 'http://evil.example' };
    const expired = { authorization: `Bearer ${await signToken('alice', { expSec: 1 })}` };

    ready = false;
    expect((await upgradeResponse(s.port, '/nope?mode=bogus', badOrigin)).status).toBe(503);
    ready = true;
    expect((await upgradeResponse(s.port, '/nope?mode=bogus', badOrigin)).status).toBe(404);
    expect((await upgradeResponse(s.port, '/ws?mode=bogus', badOrigin)).status).toBe(400);
    expect((await upgradeResponse(s.port, '/ws', { ...badOrigin, ...expired })).status).toBe(403);
    expect((await upgradeResponse(s.port, '/ws', expired)).status).toBe(401);

    const first = await TestClient.as(s, 'alice');
    // At the cap, bad credentials are still 401: credentials are checked first.
    expect((await upgradeResponse(s.port, '/ws', expired)).status).toBe(401);
    const capped = await upgradeResponse(s.port, '/ws', await bearer());
    expect(capped.status).toBe(429);
    expect(JSON.parse(capped.body)).toEqual({
      error: 'too_many_connections',
      message: expect.any(String),
    });
    first.close();

    const refused = await upgradeResponse(s.port, '/nope');
    expect(refused.headers['content-type']).toBe('application/json');
    expect(refused.headers.connection).toBe('close');
    expect(JSON.parse(refused.body)).toEqual({ error: 'not_found', message: expect.any(String) });
    expect(await metricValue(s.registry, 'chat_ws_refusals_total', { status: '404' })).toBe(2);
    expect(await metricValue(s.registry, 'chat_ws_refusals_total', { status: '429' })).toBe(1);
  });

  it('limits attempts per address before checking credentials, with Retry-After', async () => {
    const s = await start({ connectAttemptsPerMinute: 2 });
    expect((await upgradeResponse(s.port, '/ws')).status).toBe(401);
    expect((await upgradeResponse(s.port, '/ws', await bearer())).status).toBe(101);
    const limited = await upgradeResponse(s.port, '/ws', await bearer());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body).error).toBe('too_many_attempts');
    // Origin (403) is checked before the attempt limit.
    expect((await upgradeResponse(s.port, '/ws', { origin: 'http://evil.example' })).status).toBe(
      403,
    );
  });

  it('counts attempts per X-Forwarded-For address only with trustProxy', async () => {
    const trusting = await start({ connectAttemptsPerMinute: 1, trustProxy: true });
    expect(
      (await upgradeResponse(trusting.port, '/ws', { 'x-forwarded-for': '10.0.0.1' })).status,
    ).toBe(401);
    expect(
      (await upgradeResponse(trusting.port, '/ws', { 'x-forwarded-for': '10.0.0.2' })).status,
    ).toBe(401);
    expect(
      (await upgradeResponse(trusting.port, '/ws', { 'x-forwarded-for': '10.0.0.1' })).status,
    ).toBe(429);
    await trusting.close();
    const plain = await start({ connectAttemptsPerMinute: 1 });
    expect(
      (await upgradeResponse(plain.port, '/ws', { 'x-forwarded-for': '10.0.0.1' })).status,
    ).toBe(401);
    expect(
      (await upgradeResponse(plain.port, '/ws', { 'x-forwarded-for': '10.0.0.2' })).status,
    ).toBe(429);
  });

  it('with N trusted hops, counts the N-th X-Forwarded-For entry from the right, never a spoofed one', async () => {
    const oneHop = await start({ connectAttemptsPerMinute: 1, trustProxy: 1 });
    const viaProxy = (spoofed: string): Promise<number> =>
      upgradeResponse(oneHop.port, '/ws', { 'x-forwarded-for': `${spoofed}, 10.0.0.9` }).then(
        (response) => response.status,
      );
    expect(await viaProxy('1.1.1.1')).toBe(401);
    // A new client-written entry each time: still the address the proxy appended.
    expect(await viaProxy('2.2.2.2')).toBe(429);
    expect(await viaProxy('3.3.3.3, 4.4.4.4')).toBe(429);
    await oneHop.close();
    const twoHops = await start({ connectAttemptsPerMinute: 1, trustProxy: 2 });
    const viaTwo = (header: string): Promise<number> =>
      upgradeResponse(twoHops.port, '/ws', { 'x-forwarded-for': header }).then((r) => r.status);
    expect(await viaTwo('6.6.6.6, 10.0.0.1, 192.168.0.2')).toBe(401);
    expect(await viaTwo('7.7.7.7, 10.0.0.1, 192.168.0.3')).toBe(429);
    expect(await viaTwo('10.0.0.2, 192.168.0.2')).toBe(401);
  });

  it('refuses the 11th connection of a user with 429, and frees slots on close', async () => {
    const s = await start();
    const tabs = await Promise.all(Array.from({ length: 10 }, () => TestClient.as(s, 'alice')));
    await expect(TestClient.open(s.url(), { headers: await bearer() })).rejects.toThrow('429');
    expect((await upgradeResponse(s.port, '/ws', await bearer('bob'))).status).toBe(101);
    tabs[0]!.close();
    await tabs[0]!.closed;
    await eventually(() => s.routes.connectionCount === 9 + 0);
    const again = await TestClient.as(s, 'alice');
    expect(again.frames[0]?.type).toBe('welcome');
  });
});

describe('upgrade: origins', () => {
  it('allows same-origin and no Origin by default, refuses other origins with 403', async () => {
    const s = await start();
    const auth = await bearer();
    expect(
      (await upgradeResponse(s.port, '/ws', { ...auth, origin: `http://127.0.0.1:${s.port}` }))
        .status,
    ).toBe(101);
    expect((await upgradeResponse(s.port, '/ws', auth)).status).toBe(101);
    const refused = await upgradeResponse(s.port, '/ws', {
      ...auth,
      origin: 'http://evil.example',
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toBe('origin_not_allowed');
  });

  it('same-origin means the same scheme too: https Origin on http is 403 unless a trusted proxy says https', async () => {
    const s = await start();
    const auth = await bearer();
    const status = async (headers: Record<string, string>): Promise<number> =>
      (await upgradeResponse(s.port, '/ws', { ...auth, ...headers })).status;
    expect(await status({ origin: `https://127.0.0.1:${s.port}` })).toBe(403);
    // Without trusted proxies the client's X-Forwarded-Proto is ignored.
    expect(
      await status({ origin: `https://127.0.0.1:${s.port}`, 'x-forwarded-proto': 'https' }),
    ).toBe(403);
    await s.close();
    const proxied = await start({ trustProxy: 1 });
    const viaProxy = async (headers: Record<string, string>): Promise<number> =>
      (await upgradeResponse(proxied.port, '/ws', { ...auth, ...headers })).status;
    expect(
      await viaProxy({ origin: `https://127.0.0.1:${proxied.port}`, 'x-forwarded-proto': 'https' }),
    ).toBe(101);
    expect(
      await viaProxy({ origin: `http://127.0.0.1:${proxied.port}`, 'x-forwarded-proto': 'https' }),
    ).toBe(403);
  });

  it('with allowedOrigins, allows only those (and no Origin)', async () => {
    const s = await start({ allowedOrigins: ['https://app.example'] });
    const auth = await bearer();
    expect(
      (await upgradeResponse(s.port, '/ws', { ...auth, origin: 'https://app.example' })).status,
    ).toBe(101);
    expect(
      (await upgradeResponse(s.port, '/ws', { ...auth, origin: `http://127.0.0.1:${s.port}` }))
        .status,
    ).toBe(403);
    expect((await upgradeResponse(s.port, '/ws', auth)).status).toBe(101);
  });
});

describe('upgrade: credentials', () => {
  it('refuses missing, forged, expired, unsigned and wrong-audience tokens with 401', async () => {
    const s = await start({ auth: createTokenVerifier({ secret: SECRET, audience: 'chat' }) });
    const good = await signToken('alice', { aud: 'chat' });
    expect((await upgradeResponse(s.port, '/ws', { authorization: `Bearer ${good}` })).status).toBe(
      101,
    );

    const forged = await new SignJWT({ aud: 'chat' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('not-the-secret-not-the-secret-000'));
    const unsigned = new UnsecuredJWT({ aud: 'chat' })
      .setSubject('alice')
      .setExpirationTime('5m')
      .encode();
    const cases: [string, Record<string, string>, string][] = [
      ['missing', {}, 'credentials_missing'],
      ['forged', { authorization: `Bearer ${forged}` }, 'credentials_invalid'],
      [
        'expired',
        { authorization: `Bearer ${await signToken('alice', { expSec: 1, aud: 'chat' })}` },
        'token_expired',
      ],
      ['alg none', { authorization: `Bearer ${unsigned}` }, 'credentials_invalid'],
      [
        'wrong audience',
        { authorization: `Bearer ${await signToken('alice', { aud: 'other' })}` },
        'credentials_invalid',
      ],
      [
        'forged subprotocol',
        { 'sec-websocket-protocol': `chat.v1, bearer.${forged}` },
        'credentials_invalid',
      ],
      ['not bearer', { authorization: 'Basic YWxpY2U6cHc=' }, 'credentials_invalid'],
    ];
    for (const [name, headers, error] of cases) {
      const response = await upgradeResponse(s.port, '/ws', headers);
      expect({ name, status: response.status, error: JSON.parse(response.body).error }).toEqual({
        name,
        status: 401,
        error,
      });
    }
  });

  it('never accepts ?token=, even a valid one', async () => {
    const s = await start();
    const token = await signToken('alice');
    const response = await upgradeResponse(s.port, `/ws?token=${token}`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).error).toBe('token_in_query');
    expect(response.body).not.toContain(token);
    expect(
      (await upgradeResponse(s.port, `/ws?token=${token}`, { authorization: `Bearer ${token}` }))
        .status,
    ).toBe(401);
  });

  it('accepts a ticket once, for the user it was issued to', async () => {
    const s = await start();
    const verified = await createTokenVerifier({ secret: SECRET }).verify(await signToken('carol'));
    const { ticket } = await s.tickets.issue(verified);
    const client = await TestClient.open(s.url(`/ws?ticket=${ticket}`));
    expect(await client.next('welcome')).toMatchObject({ userId: 'carol' });
    const reused = await upgradeResponse(s.port, `/ws?ticket=${ticket}`);
    expect(reused.status).toBe(401);
    expect(JSON.parse(reused.body).error).toBe('credentials_invalid');
  });
});
