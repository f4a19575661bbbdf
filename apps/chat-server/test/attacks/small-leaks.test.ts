/**
 * Attacks of the smaller kind (docs/security.md#what-the-server-reveals): `welcome.serverId`
 * named the host and pid; the same-origin check ignored the scheme, so an `http://` page was
 * "same origin" as the server's `https://` one (and vice versa); the `cancel` error echoed a
 * 60 KB `runId` back in full.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from '../support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  // SERVER_ID empty: the default, as in a deployment that does not set it.
  test = await startTestServer({ SERVER_ID: '' });
});

afterAll(async () => {
  await test.server.close();
});

describe('attack: what the server gives away', () => {
  it('welcome.serverId names neither the host nor the process', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'curious'));
    const welcome = await client.waitForType('welcome');
    // Random per process: `node-` and 48 random bits, nothing taken from the machine.
    expect(welcome.serverId).toMatch(/^node-[0-9a-f]{12}$/);
    expect(welcome.serverId).not.toContain(hostname());
    await client.close();
  });

  it('an upgrade from the https origin of the same host and port is not same-origin on http', async () => {
    const token = await devLogin(test.url, 'framed');
    const host = new URL(test.url).host;
    await expect(
      ChatClient.connect(test.wsUrl, token, {}, { origin: `https://${host}` }),
    ).rejects.toThrow('upgrade refused with HTTP 403');
    const same = await ChatClient.connect(test.wsUrl, token, {}, { origin: `http://${host}` });
    await same.waitForType('welcome');
    await same.close();
  });

  it('an error frame quotes at most 128 characters of a 60 KB runId', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'echo'));
    await client.waitForType('welcome');
    const runId = `r_${'A'.repeat(60_000)}`;
    client.send({ type: 'cancel', id: 'c1', runId });
    const error = await client.waitFor((frame) => frame.type === 'error', 'the cancel error');
    expect(error).toMatchObject({ code: 'not_found', ref: 'c1' });
    const message = String(error.message);
    expect(message).toContain(runId.slice(0, 128));
    expect(message).not.toContain(runId.slice(0, 129));
    expect(message.length).toBeLessThan(200);
    await client.close();
  });
});
