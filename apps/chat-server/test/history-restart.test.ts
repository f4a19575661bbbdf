/**
 * The embedded default keeps history across restarts: a server on a temp DATA_DIR, stopped,
 * and a new one started on the same directory.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@app/ws-protocol';
import { codes } from '../src/error-codes.js';
import { ChatClient } from './support/chat-client.js';
import {
  api,
  json,
  type MessageItem,
  type PageBody,
  type ThreadItem,
} from './support/history-api.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let dataDir: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'chat-history-'));
});

afterAll(async () => {
  for (const test of servers) await test.server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<TestServer> {
  const test = await startTestServer({ DATA_DIR: dataDir });
  servers.push(test);
  return test;
}

describe('history with the embedded default (PGlite in DATA_DIR)', () => {
  it('survives a restart on the same DATA_DIR, and refuses a second server on it meanwhile', async () => {
    const first = await start();
    expect(first.server.history.kind).toBe('pglite');
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['pglite', 'chat-server.lock']));

    const token = await devLogin(first.url, 'alice');
    const client = await ChatClient.connect(first.wsUrl, token);
    client.send({ type: 'chat', id: 'c1', text: 'what is 12*(3+4)?' });
    const ack = await client.waitForType('ack');
    await client.waitForType('agent_completed', String(ack.runId));
    await client.close();
    const threadPath = `/api/v1/threads/${String(ack.threadId)}/messages`;
    const before = await json<PageBody<MessageItem>>(api(first.url, token, threadPath));
    expect(before.items).toHaveLength(2);

    // One process per directory: a second server on it does not start.
    const refused = await startTestServer({ DATA_DIR: dataDir }).then(
      (test) => {
        servers.push(test);
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(isAppError(refused, codes.HISTORY_DATA_DIR_LOCKED)).toBe(true);

    await first.server.close();
    expect(await readdir(dataDir)).not.toContain('chat-server.lock');

    const second = await start();
    const again = await devLogin(second.url, 'alice');
    const threads = await json<PageBody<ThreadItem>>(api(second.url, again, '/api/v1/threads'));
    expect(threads.items.map((t) => [t.threadId, t.title])).toEqual([
      [String(ack.threadId), 'what is 12*(3+4)?'],
    ]);
    const after = await json<PageBody<MessageItem>>(api(second.url, again, threadPath));
    expect(after).toEqual(before);
    expect(after.items[1]).toMatchObject({
      role: 'assistant',
      status: 'success',
      tools: [{ name: 'calculator' }],
    });
    expect(after.items[1]?.text).toContain('84');
  });
});
