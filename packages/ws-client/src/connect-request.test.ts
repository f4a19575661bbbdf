import { describe, expect, it } from 'vitest';
import { buildConnectRequest } from './connect-request.js';

describe('buildConnectRequest', () => {
  it('offers chat.v1 first and the token as bearer.<token>, with nothing in the query', () => {
    expect(buildConnectRequest('wss://chat.test/ws', { token: 'aaa.bbb.ccc' })).toEqual({
      url: 'wss://chat.test/ws',
      protocols: ['chat.v1', 'bearer.aaa.bbb.ccc'],
    });
  });

  it('puts a ticket in ?ticket= and offers only chat.v1', () => {
    expect(buildConnectRequest('wss://chat.test/ws', { ticket: 'tk_1/2' })).toEqual({
      url: 'wss://chat.test/ws?ticket=tk_1%2F2',
      protocols: ['chat.v1'],
    });
  });

  it('adds lastSeq and epoch for a connect-time resume, keeping other parameters', () => {
    const request = buildConnectRequest(
      'wss://chat.test/api/v1/websocket?lang=en',
      { ticket: 't' },
      { lastSeq: 41, epoch: 'e_x' },
    );
    const url = new URL(request.url);
    expect(url.pathname).toBe('/api/v1/websocket');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      lang: 'en',
      ticket: 't',
      lastSeq: '41',
      epoch: 'e_x',
    });
  });

  it('never puts a token in the query', () => {
    const request = buildConnectRequest(
      'wss://chat.test/ws',
      { token: 'secret' },
      { lastSeq: 1, epoch: 'e' },
    );
    expect(request.url).not.toContain('secret');
    expect(request.url).not.toContain('token');
  });

  it('throws on a URL that cannot be parsed', () => {
    expect(() => buildConnectRequest('not a url', { token: 't' })).toThrow();
  });
});
