import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startClient, tick } from '../test/client-harness.js';
import { makeJwt } from '../test/fake-websocket.js';
import type { CredentialProvider } from './client-options.js';

const NOW = Date.UTC(2026, 10, 22, 7, 0, 0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

/** getToken handing out JWTs that expire `lifetimeMs` after they are issued. */
function jwtProvider(lifetimeMs: number) {
  let n = 0;
  return vi.fn<CredentialProvider>(() =>
    makeJwt({ sub: 'alice', n: ++n, exp: Math.floor((Date.now() + lifetimeMs) / 1000) }),
  );
}

describe('token refresh through auth', () => {
  it('sends auth with a fresh token 60 s before exp, then again before the new one expires', async () => {
    const getToken = jwtProvider(10 * 60_000);
    const { fake } = startClient({ getToken });
    await tick();
    fake.last().welcome();
    await tick(9 * 60_000 - 1);
    expect(fake.last().sentOfType('auth')).toEqual([]);
    await tick(1);
    expect(getToken).toHaveBeenLastCalledWith({ reason: 'refresh' });
    const token2 = getToken.mock.results[1]!.value as string;
    expect(fake.last().sentOfType('auth')).toEqual([
      { type: 'auth', id: expect.any(String), token: token2 },
    ]);
    const [auth] = fake.last().sentOfType('auth');
    fake.last().receive({ type: 'ack', ref: auth!.id });
    await tick(9 * 60_000);
    expect(fake.last().sentOfType('auth')).toHaveLength(2);
  });

  it('honours refreshBeforeExpiryMs', async () => {
    const getToken = jwtProvider(10 * 60_000);
    const { fake } = startClient({ getToken, refreshBeforeExpiryMs: 5 * 60_000 });
    await tick();
    fake.last().welcome();
    await tick(5 * 60_000 - 1);
    expect(fake.last().sentOfType('auth')).toHaveLength(0);
    await tick(1);
    expect(fake.last().sentOfType('auth')).toHaveLength(1);
  });

  it('sends no auth for a token without exp', async () => {
    const { fake } = startClient({ getToken: () => 'opaque' });
    await tick();
    fake.last().welcome();
    await tick(24 * 3600_000);
    expect(fake.last().sentOfType('auth')).toHaveLength(0);
  });

  it('forgets the refresh of a closed connection and schedules one per new connection', async () => {
    const getToken = jwtProvider(10 * 60_000);
    // backoff 2000 * 0.5: the reconnect (and its token) comes a whole second later, as `exp` counts seconds.
    const { fake } = startClient({ getToken, backoff: { baseMs: 2000 } });
    await tick();
    fake.last().welcome();
    await tick(60_000);
    fake.last().serverClose(1006);
    await tick(1000); // new token issued now: expires 10 min from here
    fake.last().welcome();
    await tick(9 * 60_000 - 1);
    expect(fake.sockets.map((socket) => socket.sentOfType('auth').length)).toEqual([0, 0]);
    await tick(1);
    expect(fake.sockets.map((socket) => socket.sentOfType('auth').length)).toEqual([0, 1]);
  });

  it('surfaces a refused auth as an error event; the 4401 that follows reconnects with a fresh token', async () => {
    const getToken = jwtProvider(10 * 60_000);
    const { fake, of } = startClient({ getToken });
    await tick();
    fake.last().welcome();
    await tick(9 * 60_000);
    const [auth] = fake.last().sentOfType('auth');
    fake
      .last()
      .receive({ type: 'error', code: 'token_expired', message: 'other user', ref: auth!.id });
    fake.last().serverClose(4401);
    expect(of('error')).toMatchObject([{ code: 'token_expired' }]);
    await tick(125);
    expect(getToken).toHaveBeenLastCalledWith({ reason: 'rejected' });
    expect(fake.sockets).toHaveLength(2);
  });

  it('in ticket mode, learns exp from getToken once per connection and refreshes through auth', async () => {
    const getToken = jwtProvider(10 * 60_000);
    const getTicket = vi.fn(() => 'tk');
    const { fake } = startClient({ getToken, getTicket });
    await tick();
    expect(getToken).not.toHaveBeenCalled();
    fake.last().welcome();
    await tick();
    expect(getToken).toHaveBeenCalledTimes(1);
    await tick(9 * 60_000);
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(fake.last().sentOfType('auth')).toEqual([
      { type: 'auth', id: expect.any(String), token: getToken.mock.results[1]!.value as string },
    ]);
  });

  it('reports a failed refresh as credentials_unavailable and keeps the connection', async () => {
    const getToken = jwtProvider(10 * 60_000);
    const { fake, of, client } = startClient({ getToken });
    await tick();
    fake.last().welcome();
    getToken.mockRejectedValueOnce(new Error('offline'));
    await tick(9 * 60_000);
    expect(of('error')).toMatchObject([{ code: 'credentials_unavailable' }]);
    expect(fake.last().sentOfType('auth')).toHaveLength(0);
    expect(client.state).toBe('open');
  });
});
