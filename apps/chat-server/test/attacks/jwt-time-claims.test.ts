/**
 * Attack: a validly signed token whose `exp`, `nbf` or `iat` is no date (10^13 seconds, 1e400).
 * It was accepted, answered 500 at the ticket endpoint, and its NaN deadline stalled the expiry
 * queue, so another user's expired token stayed connected (docs/security.md#tokens).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../support/chat-client.js';
import { epochSeconds, signRawToken, tokenFor } from '../support/raw-token.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test.server.close();
});

const OUT_OF_RANGE: [string, string][] = [
  ['exp 10^13', `{"sub":"mallory","exp":10000000000000}`],
  ['exp 1e400', `{"sub":"mallory","exp":1e400}`],
  ['exp past year 9999', `{"sub":"mallory","exp":253402300800}`],
  ['nbf 10^13', `{"sub":"mallory","exp":${epochSeconds(3600)},"nbf":-10000000000000}`],
  ['iat 1e400', `{"sub":"mallory","exp":${epochSeconds(3600)},"iat":1e400}`],
];

function ticket(token: string): Promise<Response> {
  return fetch(`${test.url}/api/v1/ws-ticket`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
}

describe('attack: JWT time claims that are no date', () => {
  it.each(OUT_OF_RANGE)('%s: the ticket endpoint answers 401, never 500', async (_name, json) => {
    const response = await ticket(signRawToken(json));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'unauthorized',
    );
  });

  it.each(OUT_OF_RANGE)('%s: /ws refuses the upgrade with 401', async (_name, json) => {
    await expect(ChatClient.connect(test.wsUrl, signRawToken(json))).rejects.toThrow(
      'upgrade refused with HTTP 401',
    );
  });

  it('accepts the last second of year 9999', async () => {
    const response = await ticket(signRawToken(`{"sub":"patient","exp":253402300799}`));
    expect(response.status).toBe(200);
  });

  it("does not keep another user's expired token connected", async () => {
    const victim = await ChatClient.connect(test.wsUrl, tokenFor('victim', 2));
    await victim.waitForType('welcome');
    // Accepted before the fix: its NaN deadline rose to the top of the expiry queue.
    const attacker = await ChatClient.connect(test.wsUrl, signRawToken(OUT_OF_RANGE[0]![1])).catch(
      () => undefined,
    );
    // The token expires in about two seconds; the bound is wide for a loaded machine.
    const closed = await Promise.race([
      victim.closed,
      new Promise<undefined>((resolve) => setTimeout(resolve, 15_000, undefined)),
    ]);
    expect(closed?.code).toBe(4401);
    await attacker?.close();
  });
});
