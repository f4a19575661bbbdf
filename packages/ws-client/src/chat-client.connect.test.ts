import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startClient, tick } from '../test/client-harness.js';
import { createChatClient } from './chat-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('connecting', () => {
  it('offers chat.v1 and bearer.<token>, with a fresh token and no query on the first attempt', async () => {
    const { fake, getToken } = startClient();
    await tick();
    expect(getToken).toHaveBeenCalledWith({ reason: 'connect' });
    expect(fake.sockets).toHaveLength(1);
    expect(fake.last().protocols).toEqual(['chat.v1', 'bearer.token-1']);
    expect(fake.last().url.toString()).toBe('wss://chat.test/ws');
  });

  it('is connecting until welcome (not until the socket opens), then open', async () => {
    const { client, fake, of } = startClient();
    await tick();
    expect(client.state).toBe('connecting');
    fake.last().onopen?.({});
    expect(client.state).toBe('connecting');
    fake.last().welcome({ seq: 7, epoch: 'e_a' });
    expect(client.state).toBe('open');
    expect(of('state')).toEqual([{ state: 'open', previous: 'connecting' }]);
    expect(of('welcome')).toMatchObject([{ type: 'welcome', seq: 7, epoch: 'e_a' }]);
    expect(client.position).toEqual({ lastSeq: 7, epoch: 'e_a' });
  });

  it('in ticket mode, connects with ?ticket= from getTicket and offers only chat.v1', async () => {
    let n = 0;
    const getTicket = vi.fn(async () => `tk_${++n}`);
    const { fake, getToken } = startClient({ getTicket });
    await tick();
    expect(getTicket).toHaveBeenCalledWith({ reason: 'connect' });
    expect(getToken).not.toHaveBeenCalled();
    expect(fake.last().protocols).toEqual(['chat.v1']);
    expect(fake.last().url.searchParams.get('ticket')).toBe('tk_1');
    fake.last().serverClose(1006);
    await tick(1000);
    expect(getTicket).toHaveBeenLastCalledWith({ reason: 'reconnect' });
    expect(fake.last().url.searchParams.get('ticket')).toBe('tk_2');
  });

  it('resumes from the position option on the first connection', async () => {
    const { fake } = startClient({ position: { lastSeq: 12, epoch: 'e_old' } });
    await tick();
    expect(Object.fromEntries(fake.last().url.searchParams)).toEqual({
      lastSeq: '12',
      epoch: 'e_old',
    });
  });

  it('throws invalid_options without a WebSocket class or with an unusable url', () => {
    vi.stubGlobal('WebSocket', undefined);
    expect(() => createChatClient({ url: 'wss://chat.test/ws', getToken: () => 't' })).toThrow(
      expect.objectContaining({ code: 'invalid_options' }),
    );
    expect(() => startClient({ url: 'http://[not a url' })).toThrow(
      expect.objectContaining({ code: 'invalid_options' }),
    );
  });

  it('stays closed with unsupported_protocol when welcome.protocol is not 1', async () => {
    const { client, fake, of } = startClient();
    await tick();
    fake.last().welcome({ protocol: 2 });
    expect(client.state).toBe('closed');
    expect(of('error').map((e) => e.code)).toEqual(['unsupported_protocol']);
    expect(fake.last().closedByClient).toBeDefined();
    await tick(60_000);
    expect(fake.sockets).toHaveLength(1);
  });

  it('reports a frame before welcome and an unreadable frame as invalid_frame without closing', async () => {
    const { client, fake, of } = startClient();
    await tick();
    fake.last().receive({ type: 'pong' });
    fake.last().welcome();
    fake.last().receive('not json');
    fake.last().onmessage?.({ data: new ArrayBuffer(2) });
    expect(of('error').map((e) => e.code)).toEqual([
      'invalid_frame',
      'invalid_frame',
      'invalid_frame',
    ]);
    expect(client.state).toBe('open');
  });
});

describe('failed attempts and backoff', () => {
  it('treats a close before welcome as a failed attempt and backs off exponentially with jitter', async () => {
    // random() = 0.5: delays are half of min(30000, 250 * 2^attempt).
    const { client, fake, getToken, of } = startClient();
    await tick();
    const expected = [125, 250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000];
    for (const [attempt, delay] of expected.entries()) {
      fake.last().serverClose(1006);
      expect(client.state).toBe('reconnecting');
      await tick(delay - 1);
      expect(fake.sockets).toHaveLength(attempt + 1);
      await tick(1);
      expect(fake.sockets).toHaveLength(attempt + 2);
    }
    expect(getToken).toHaveBeenCalledTimes(expected.length + 1);
    expect(getToken).toHaveBeenLastCalledWith({ reason: 'reconnect' });
    expect(of('state')).toEqual([
      { state: 'reconnecting', previous: 'connecting', code: 1006, reason: '', retryInMs: 125 },
    ]);
  });

  it('uses the backoff option and the injected random', async () => {
    const random = vi.fn(() => 0.999);
    const { fake } = startClient({ backoff: { baseMs: 1000, capMs: 1500 }, random });
    await tick();
    fake.last().serverClose(1006);
    await tick(998);
    expect(fake.sockets).toHaveLength(1);
    await tick(1);
    expect(fake.sockets).toHaveLength(2);
    fake.last().serverClose(1006);
    await tick(1497);
    expect(fake.sockets).toHaveLength(2);
    await tick(1);
    expect(fake.sockets).toHaveLength(3);
    expect(random).toHaveBeenCalledTimes(2);
  });

  it('resets the attempt count after a welcome', async () => {
    const { fake } = startClient();
    await tick();
    fake.last().serverClose(1006);
    await tick(125);
    fake.last().serverClose(1006);
    await tick(250);
    fake.last().serverClose(1006);
    await tick(500);
    expect(fake.sockets).toHaveLength(4);
    fake.last().welcome();
    fake.last().serverClose(1011);
    await tick(124);
    expect(fake.sockets).toHaveLength(4);
    await tick(1);
    expect(fake.sockets).toHaveLength(5);
  });

  it('gives up on an attempt without welcome after connectTimeoutMs', async () => {
    const { fake, client } = startClient({ connectTimeoutMs: 3000 });
    await tick();
    fake.last().onopen?.({});
    await tick(2999);
    expect(fake.last().closedByClient).toBeUndefined();
    await tick(1);
    expect(fake.sockets[0]!.closedByClient).toBeDefined();
    expect(client.state).toBe('reconnecting');
    await tick(125);
    expect(fake.sockets).toHaveLength(2);
  });

  it('reports credentials_unavailable when getToken fails, and retries with backoff', async () => {
    const getToken = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue('t2');
    const { fake, client, of } = startClient({ getToken });
    await tick();
    expect(fake.sockets).toHaveLength(0);
    expect(of('error')).toMatchObject([
      { code: 'credentials_unavailable', cause: new Error('offline') },
    ]);
    expect(client.state).toBe('reconnecting');
    await tick(125);
    expect(fake.last().protocols).toEqual(['chat.v1', 'bearer.t2']);
  });

  it('opens no socket when close() is called while a token is being fetched', async () => {
    let release: (token: string) => void = () => {};
    const getToken = vi.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const { fake, client } = startClient({ getToken });
    client.close();
    release('late');
    await tick(1000);
    expect(fake.sockets).toHaveLength(0);
    expect(client.state).toBe('closed');
  });
});

describe('close codes (docs/protocol.md#close-codes)', () => {
  async function openThenClose(code: number) {
    const harness = startClient();
    await tick();
    harness.fake.last().welcome({ epoch: 'e_1', seq: 3 });
    harness.fake.last().serverClose(code, 'bye');
    return harness;
  }

  it.each([1000, 1008])('stays closed after %i', async (code) => {
    const { client, fake, of } = await openThenClose(code);
    expect(client.state).toBe('closed');
    expect(of('state').at(-1)).toEqual({ state: 'closed', previous: 'open', code, reason: 'bye' });
    await tick(120_000);
    expect(fake.sockets).toHaveLength(1);
    expect(of('error').map((e) => [e.code, e.closeCode])).toEqual(
      code === 1000 ? [] : [['connection_closed', code]],
    );
  });

  it.each([1007, 1009])(
    'stays closed and surfaces an error after %i (fix the client)',
    async (code) => {
      const { client, fake, of } = await openThenClose(code);
      expect(client.state).toBe('closed');
      expect(of('error')).toMatchObject([{ code: 'connection_closed', closeCode: code }]);
      await tick(120_000);
      expect(fake.sockets).toHaveLength(1);
    },
  );

  it.each([1001, 1011, 1013, 4000, 4408, 1006])(
    'reconnects with backoff and resumes after %i',
    async (code) => {
      const { client, fake, getToken } = await openThenClose(code);
      expect(client.state).toBe('reconnecting');
      await tick(124);
      expect(fake.sockets).toHaveLength(1);
      await tick(1);
      expect(fake.sockets).toHaveLength(2);
      expect(getToken).toHaveBeenLastCalledWith({ reason: 'reconnect' });
      expect(Object.fromEntries(fake.last().url.searchParams)).toEqual({
        lastSeq: '3',
        epoch: 'e_1',
      });
    },
  );

  it('asks getToken for a fresh token (reason rejected) before reconnecting after 4401', async () => {
    const { fake, getToken } = await openThenClose(4401);
    await tick(125);
    expect(getToken).toHaveBeenLastCalledWith({ reason: 'rejected' });
    expect(fake.last().protocols).toEqual(['chat.v1', 'bearer.token-2']);
    fake.last().welcome({ epoch: 'e_1', seq: 3 });
    fake.last().serverClose(1006);
    await tick(125);
    expect(getToken).toHaveBeenLastCalledWith({ reason: 'reconnect' });
  });

  it('waits at least rateLimitDelayMs (5 s) after 4429', async () => {
    const { fake } = await openThenClose(4429);
    await tick(4999);
    expect(fake.sockets).toHaveLength(1);
    await tick(1);
    expect(fake.sockets).toHaveLength(2);
  });

  it('waits the backoff after 4429 when it is longer than rateLimitDelayMs', async () => {
    const { fake } = startClient({ rateLimitDelayMs: 100, backoff: { baseMs: 400 } });
    await tick();
    fake.last().welcome();
    fake.last().serverClose(4429);
    await tick(199);
    expect(fake.sockets).toHaveLength(1);
    await tick(1);
    expect(fake.sockets).toHaveLength(2);
  });
});

describe('close()', () => {
  it('closes with 1000, stops reconnecting and rejects pending requests with client_closed', async () => {
    const { client, fake, of } = startClient();
    await tick();
    fake.last().welcome();
    const pending = client.chat('hello');
    client.close();
    expect(fake.last().closedByClient).toEqual({ code: 1000, reason: 'client closed' });
    expect(client.state).toBe('closed');
    expect(of('state').at(-1)).toMatchObject({ state: 'closed', previous: 'open', code: 1000 });
    await expect(pending).rejects.toMatchObject({ name: 'ChatClientError', code: 'client_closed' });
    await expect(client.chat('again')).rejects.toMatchObject({ code: 'client_closed' });
    fake.last().serverClose(1006);
    await tick(60_000);
    expect(fake.sockets).toHaveLength(1);
    client.close();
    expect(of('state').filter((s) => s.state === 'closed')).toHaveLength(1);
  });

  it('cancels a scheduled reconnect', async () => {
    const { client, fake } = startClient();
    await tick();
    fake.last().serverClose(1006);
    client.close();
    await tick(60_000);
    expect(fake.sockets).toHaveLength(1);
  });
});

describe('liveness', () => {
  it('pings after heartbeatMs of silence and reconnects when nothing answers', async () => {
    const { client, fake } = startClient({ liveness: {} });
    await tick();
    fake.last().welcome({ heartbeatMs: 20_000 });
    await tick(19_999);
    expect(fake.last().sentOfType('ping')).toHaveLength(0);
    await tick(1);
    expect(fake.last().sentOfType('ping')).toEqual([{ type: 'ping' }]);
    await tick(9_999);
    expect(client.state).toBe('open');
    await tick(1);
    expect(fake.sockets[0]!.closedByClient).toMatchObject({ code: 4408 });
    expect(client.state).toBe('reconnecting');
    await tick(125);
    expect(fake.sockets).toHaveLength(2);
  });

  it('stays open while frames keep arriving', async () => {
    const { client, fake } = startClient({ liveness: { idleMs: 1000, timeoutMs: 500 } });
    await tick();
    fake.last().welcome();
    for (let i = 0; i < 10; i++) {
      await tick(1000);
      fake.last().receive({ type: 'pong' });
    }
    expect(fake.last().sentOfType('ping')).toHaveLength(10);
    expect(client.state).toBe('open');
    expect(fake.sockets).toHaveLength(1);
  });
});
