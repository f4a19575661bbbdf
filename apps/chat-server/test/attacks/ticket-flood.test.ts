/**
 * Attack: one token asks for tickets as fast as it can. Issuance was unbounded (117,875 tickets
 * in 55 s, RSS 509 → 935 MB and never released: the sweep ran only every 256 issues). Now each
 * user gets `WS_TICKETS_PER_MINUTE` (60) and then 429 with `Retry-After`, holds at most 20
 * unredeemed tickets (one more invalidates the oldest), and expired ones are swept on a timer
 * (docs/security.md#tickets; the memory figures are the ticket-flood benchmark's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from '../support/test-server.js';

let limited: TestServer;
let generous: TestServer;

beforeAll(async () => {
  [limited, generous] = await Promise.all([
    startTestServer(),
    startTestServer({ WS_TICKETS_PER_MINUTE: '1000' }),
  ]);
});

afterAll(async () => {
  await Promise.all([limited.server.close(), generous.server.close()]);
});

function requestTicket(url: string, token: string): Promise<Response> {
  return fetch(`${url}/api/v1/ws-ticket`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
}

describe('attack: a ticket flood from one user', () => {
  it('gets 60 tickets a minute, then 429 with Retry-After; other users are not affected', async () => {
    const token = await devLogin(limited.url, 'flooder');
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 75; i += 1) {
      const response = await requestTicket(limited.url, token);
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
      else await response.body?.cancel();
    }
    expect(statuses.slice(0, 60).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(60).every((status) => status === 429)).toBe(true);
    expect(Number(refused?.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused?.headers.get('Retry-After'))).toBeLessThanOrEqual(60);
    expect(await refused?.json()).toMatchObject({ error: { code: 'rate_limited' } });

    const bystander = await requestTicket(limited.url, await devLogin(limited.url, 'bystander'));
    expect(bystander.status).toBe(200);
  });

  it('holds at most 20 unredeemed tickets per user: the 21st invalidates the oldest', async () => {
    const token = await devLogin(generous.url, 'hoarder');
    const tickets: string[] = [];
    for (let i = 0; i < 21; i += 1) {
      const response = await requestTicket(generous.url, token);
      expect(response.status).toBe(200);
      tickets.push(((await response.json()) as { ticket: string }).ticket);
    }
    await expect(
      ChatClient.connect(generous.wsUrl, undefined, { ticket: tickets[0]! }),
    ).rejects.toThrow('upgrade refused with HTTP 401');
    const newest = await ChatClient.connect(generous.wsUrl, undefined, { ticket: tickets[20]! });
    expect((await newest.waitForType('welcome')).userId).toBe('hoarder');
    const second = await ChatClient.connect(generous.wsUrl, undefined, { ticket: tickets[1]! });
    expect((await second.waitForType('welcome')).userId).toBe('hoarder');
    await Promise.all([newest.close(), second.close()]);
  });
});
