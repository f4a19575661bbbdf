/**
 * Attack: crafted paging input. A cursor is opaque base64url JSON, so a client can forge one with
 * an extended-year time (`+275760-09-13T00:00:00.000Z`) or an id past the database's integer
 * range; these reached PostgreSQL and answered 503 (docs/security.md#paging-input).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../support/chat-client.js';
import { api } from '../support/history-api.js';
import { devLogin, startTestServer, type TestServer } from '../support/test-server.js';

let test: TestServer;
let token: string;
let threadId: string;

beforeAll(async () => {
  test = await startTestServer();
  token = await devLogin(test.url, 'pager');
  const client = await ChatClient.connect(test.wsUrl, token);
  client.send({ type: 'chat', id: 'one', text: 'hello' });
  const ack = await client.waitFor((frame) => frame.type === 'ack', 'ack');
  await client.waitForType('agent_completed', String(ack.runId));
  threadId = String(ack.threadId);
  await client.close();
});

afterAll(async () => {
  await test.server.close();
});

function cursor(tag: string, at: string, id: string): string {
  return Buffer.from(JSON.stringify([tag, at, id])).toString('base64url');
}

async function expectInvalidRequest(path: string): Promise<void> {
  const response = await api(test.url, token, path);
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
    'invalid_request',
  );
}

describe('attack: crafted cursors and limits', () => {
  it.each([
    ['an extended year', cursor('t1', '+275760-09-13T00:00:00.000Z', 't_x')],
    ['a negative extended year', cursor('t1', '-271821-04-20T00:00:00.000Z', 't_x')],
    ['year 0', cursor('t1', '0000-01-01T00:00:00.000Z', 't_x')],
  ])('a threads cursor with %s is 400', async (_name, crafted) => {
    await expectInvalidRequest(`/api/v1/threads?cursor=${crafted}`);
  });

  it.each([
    ['an id past int8', cursor('m1', '2026-01-01T00:00:00.000Z', '9999999999999999999')],
    ['an id of 2^63', cursor('m1', '2026-01-01T00:00:00.000Z', '9223372036854775808')],
    ['an extended year', cursor('m1', '+275760-09-13T00:00:00.000Z', '1')],
  ])('a messages cursor with %s is 400', async (_name, crafted) => {
    await expectInvalidRequest(`/api/v1/threads/${threadId}/messages?cursor=${crafted}`);
  });

  it('accepts the largest int8 id', async () => {
    const crafted = cursor('m1', '2026-01-01T00:00:00.000Z', '9223372036854775807');
    const response = await api(
      test.url,
      token,
      `/api/v1/threads/${threadId}/messages?cursor=${crafted}`,
    );
    expect(response.status).toBe(200);
  });

  it.each(['0', '101', '-1', '1e2', '1.5', 'abc', '0x10'])('limit=%s is 400', async (limit) => {
    await expectInvalidRequest(`/api/v1/threads?limit=${limit}`);
  });
});
