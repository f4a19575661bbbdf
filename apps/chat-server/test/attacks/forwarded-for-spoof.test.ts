/**
 * Attack: behind one proxy (`TRUST_PROXY=1`) a client writes its own `X-Forwarded-For` entries.
 * The server took the left-most entry — the client's — so a new fake address per attempt
 * bypassed the connect-attempt limiter, and a spoofer could get someone else's address refused.
 * Now the address is the N-th entry from the right: the one our proxy appended
 * (docs/security.md#proxies).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ TRUST_PROXY: '1', WS_CONNECT_ATTEMPTS_PER_MINUTE: '3' });
});

afterAll(async () => {
  await test.server.close();
});

/** An upgrade request as the proxy forwards it; resolves with the HTTP status. */
function upgradeStatus(forwardedFor: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${test.url}/ws`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'X-Forwarded-For': forwardedFor,
      },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      resolve(101);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('attack: spoofed X-Forwarded-For entries', () => {
  it('cannot bypass the attempt limiter with a new left-most address per attempt', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      // The client wrote `198.51.100.i`; the proxy appended the address it saw.
      statuses.push(await upgradeStatus(`198.51.100.${i}, 203.0.113.7`));
    }
    // No credentials: 401 while attempts remain, 429 once this address has used them.
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it('cannot get another address refused by writing it into the header', async () => {
    for (let i = 0; i < 5; i += 1) await upgradeStatus(`203.0.113.50, 192.0.2.${i}`);
    expect(await upgradeStatus('203.0.113.50')).toBe(401);
  });
});
