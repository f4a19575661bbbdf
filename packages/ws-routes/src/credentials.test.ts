import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { findCredential } from './credentials.js';
import { selectSubprotocol } from './subprotocol.js';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}
const query = (text = ''): URLSearchParams => new URLSearchParams(text);

describe('findCredential', () => {
  it('takes the Authorization header first, then the bearer subprotocol, then the ticket', () => {
    const all = request({
      authorization: 'Bearer header.jwt.x',
      'sec-websocket-protocol': 'chat.v1, bearer.proto.jwt.y',
    });
    expect(findCredential(all, query('ticket=t1'))).toEqual({
      ok: true,
      credential: { kind: 'jwt', token: 'header.jwt.x', source: 'header' },
    });
    const proto = request({ 'sec-websocket-protocol': 'chat.v1, bearer.proto.jwt.y' });
    expect(findCredential(proto, query('ticket=t1'))).toEqual({
      ok: true,
      credential: { kind: 'jwt', token: 'proto.jwt.y', source: 'subprotocol' },
    });
    expect(findCredential(request({}), query('ticket=t1'))).toEqual({
      ok: true,
      credential: { kind: 'ticket', ticket: 't1', source: 'ticket' },
    });
  });

  it('refuses ?token= even beside a valid credential, and reports nothing as missing', () => {
    const withHeader = request({ authorization: 'Bearer a.b.c' });
    expect(findCredential(withHeader, query('token=a.b.c'))).toEqual({
      ok: false,
      problem: 'token_in_query',
    });
    expect(findCredential(request({}), query())).toEqual({ ok: false, problem: 'missing' });
    expect(findCredential(request({ authorization: 'Basic dXNlcg==' }), query())).toEqual({
      ok: false,
      problem: 'malformed_header',
    });
  });
});

describe('selectSubprotocol', () => {
  it('selects chat.v1 and never a bearer offer', () => {
    expect(selectSubprotocol(new Set(['bearer.a.b.c', 'chat.v1']))).toBe('chat.v1');
    expect(selectSubprotocol(new Set(['bearer.a.b.c']))).toBe(false);
    expect(selectSubprotocol(new Set<string>())).toBe(false);
  });

  it('selects the endpoint’s own subprotocol: ai-sdk on /ai-sdk/ws', () => {
    expect(selectSubprotocol(['bearer.a.b.c', 'ai-sdk'], 'ai-sdk')).toBe('ai-sdk');
    expect(selectSubprotocol(['bearer.a.b.c', 'chat.v1'], 'ai-sdk')).toBe(false);
  });
});
