/**
 * Attack: a validly signed token whose `sub` breaks the user-id rules of `/ws` (1–128
 * characters, no control characters). The HTTP API skipped them: `a\u0000b` got 503 with a stack
 * trace from the database, and a 10,000-character `sub` got threads and tickets
 * (docs/security.md#one-user-id-rule).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../support/chat-client.js';
import { tokenFor } from '../support/raw-token.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test.server.close();
});

const BAD_SUBJECTS: [string, string][] = [
  ['a NUL character', 'a\u0000b'],
  ['a line break', 'alice\nadmin'],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['129 characters', 'y'.repeat(129)],
];

const ENDPOINTS: [string, string][] = [
  ['POST', '/api/v1/ws-ticket'],
  ['GET', '/api/v1/threads'],
  ['GET', '/api/v1/threads/t_1/messages'],
  ['DELETE', '/api/v1/threads/t_1'],
];

describe('attack: a token whose sub breaks the user-id rules', () => {
  describe.each(BAD_SUBJECTS)('sub with %s', (_name, sub) => {
    it.each(ENDPOINTS)('%s %s is 401', async (method, path) => {
      const response = await fetch(`${test.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${tokenFor(sub)}` },
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.message).not.toContain(sub);
    });

    it('/ws is 401', async () => {
      await expect(ChatClient.connect(test.wsUrl, tokenFor(sub))).rejects.toThrow(
        'upgrade refused with HTTP 401',
      );
    });
  });

  it('accepts a sub of exactly 128 characters everywhere', async () => {
    const token = tokenFor('z'.repeat(128));
    const response = await fetch(`${test.url}/api/v1/threads`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const client = await ChatClient.connect(test.wsUrl, token);
    await client.close();
  });
});
