import { describe, expect, it } from 'vitest';
import {
  eventually,
  metricValue,
  SECRET,
  signToken,
  TestClient,
  type TestServer,
  useTestServer,
} from '../test/harness.js';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.js';

const start = useTestServer();

describe('session: rate limits', () => {
  it('refuses a flood with rate_limited and retryAfterMs, then closes 4429', async () => {
    const s = await start({
      hubOptions: { rateLimit: { perSecond: 1, burst: 2 } },
      abuse: { maxRejectedPerWindow: 3, windowMs: 10_000 },
    });
    const client = await TestClient.as(s, 'alice');
    for (let i = 0; i < 10; i += 1) client.send({ type: 'ping', id: i });
    expect(await client.next('pong')).toEqual({ type: 'pong', ref: 0 });
    const limited = await client.next('error');
    expect(limited).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect((await client.closed).code).toBe(4429);
    // More than 3 refused frames close the connection: the 4th refusal is the last one.
    expect(client.frames.filter((f) => f.type === 'error')).toHaveLength(4);
    expect(await metricValue(s.registry, 'chat_ws_rate_limited_total')).toBe(4);
    await eventually(() => s.routes.connectionCount === 0);
    expect(await metricValue(s.registry, 'chat_ws_closes_total', { code: '4429' })).toBe(1);
  });

  it('counts invalid frames against the rate limit too', async () => {
    const s = await start({ hubOptions: { rateLimit: { perSecond: 1, burst: 1 } } });
    const client = await TestClient.as(s, 'alice');
    client.send('garbage');
    client.send({ type: 'ping', id: 'p' });
    expect(await client.next('error')).toMatchObject({ code: 'invalid_json' });
    expect(await client.next('error')).toMatchObject({ code: 'rate_limited' });
  });
});

describe('session: credential expiry', () => {
  /**
   * How long the credentials of these tests live: long enough to connect and act on a loaded
   * machine before they expire (the tests wait for the expiry; they bound nothing by time).
   */
  const LIFETIME_MS = 3000;
  /** A guard for the waits on an expiry, not a latency bound. */
  const EXPIRY_WAIT_MS = 30_000;

  /** The real verifier, except that tokens issued by `short` expire LIFETIME_MS from now. */
  const shortLivedVerifier = (): TokenVerifier => {
    const real = createTokenVerifier({ secret: SECRET });
    return {
      async verify(token) {
        const verified = await real.verify(token);
        return verified.claims.iss === 'short'
          ? { ...verified, expiresAt: new Date(Date.now() + LIFETIME_MS) }
          : verified;
      },
    };
  };
  const openShortLived = async (s: TestServer): Promise<TestClient> => {
    const client = await TestClient.open(s.url(), {
      headers: { authorization: `Bearer ${await signToken('alice', { iss: 'short' })}` },
    });
    await client.next('welcome');
    return client;
  };

  it('closes 4401 with token_expired first when the JWT expires', async () => {
    const s = await start();
    // A real `exp` 3 to 4 seconds ahead (JWT times are whole seconds).
    const exp = Math.floor(Date.now() / 1000) + LIFETIME_MS / 1000 + 1;
    const client = await TestClient.open(s.url(), {
      headers: { authorization: `Bearer ${await signToken('alice', { expSec: exp })}` },
    });
    await client.next('welcome');
    expect(await client.next('error', undefined, EXPIRY_WAIT_MS)).toMatchObject({
      code: 'token_expired',
    });
    expect((await client.closed).code).toBe(4401);
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
  });

  it('lets an auth refresh move the expiry', async () => {
    const s = await start({ auth: shortLivedVerifier() });
    const refreshed = await openShortLived(s);
    refreshed.send({ type: 'auth', id: 'r', token: await signToken('alice') });
    await refreshed.next('ack');
    // Opened after the refreshed one, so it expires after the refreshed one's first expiry.
    const unrefreshed = await openShortLived(s);
    expect((await unrefreshed.closed).code).toBe(4401);
    refreshed.send({ type: 'ping', id: 'alive' });
    expect(await refreshed.next('pong')).toEqual({ type: 'pong', ref: 'alive' });
  });

  it('expires a ticket connection with the JWT that obtained the ticket', async () => {
    const s = await start();
    const verified = await createTokenVerifier({ secret: SECRET }).verify(await signToken('alice'));
    const { ticket } = await s.tickets.issue({
      ...verified,
      expiresAt: new Date(Date.now() + LIFETIME_MS),
    });
    const client = await TestClient.open(s.url(`/ws?ticket=${ticket}`));
    await client.next('welcome');
    expect(await client.next('error', undefined, EXPIRY_WAIT_MS)).toMatchObject({
      code: 'token_expired',
    });
    expect((await client.closed).code).toBe(4401);
  });
});

describe('session: liveness and slow consumers', () => {
  it('closes a client that stops answering pings with 4408 and forgets it', async () => {
    // An interval wide enough that a loaded machine's stalls do not make a pong late (the sweep
    // itself is tested with fake timers in heartbeat.test.ts).
    const heartbeatMs = 2000;
    const s = await start({ heartbeatMs });
    const silent = await TestClient.open(s.url(), {
      headers: { authorization: `Bearer ${await signToken('alice')}` },
      autoPong: false,
    });
    const answering = await TestClient.as(s, 'bob');
    let pingsAnswered = 0;
    answering.ws.on('ping', () => (pingsAnswered += 1));
    const welcome = await silent.next('welcome');
    expect(welcome.heartbeatMs).toBe(heartbeatMs);
    expect((await silent.closed).code).toBe(4408);
    await eventually(() => s.routes.connectionCount === 1, 30_000);
    // One more sweep: the answering client is pinged again, and kept.
    const answeredBefore = pingsAnswered;
    await eventually(() => pingsAnswered > answeredBefore, 30_000);
    expect(answering.ws.readyState).toBe(answering.ws.OPEN);
  });

  it('closes a client that stops reading with 4000 and reaps its socket', async () => {
    const s = await start({
      closeTimeoutMs: 200,
      hubOptions: { limits: { outboundLimitBytes: 256 * 1024 } },
    });
    const client = await TestClient.as(s, 'alice');
    client.send({ type: 'chat', id: 1, text: 'flood 400' });
    await client.next('ack');
    client.rawSocket.pause();
    await eventually(() => s.routes.connectionCount === 0, 10_000);
    expect(await metricValue(s.registry, 'chat_ws_closes_total', { code: '4000' })).toBe(1);
    expect(s.hub.stats().connections).toBe(0);
    client.rawSocket.resume();
    const { code } = await client.closed;
    expect([4000, 1006]).toContain(code);
  });
});
