/**
 * A PostgreSQL outage during runs, through a TCP proxy this test cuts (the shared PostgreSQL
 * itself is never stopped): runs still end with `agent_completed`, readiness reports the
 * database, failed writes are logged once each with their context and retried, and the
 * history is complete once the database is back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { captureLogs, type LogCapture, type LogEntry } from '@app/logging-ssot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from './support/chat-client.js';
import { api, type MessageItem, type PageBody } from './support/history-api.js';
import { createTestPostgres, type TestPostgres } from './support/postgres-database.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let postgres: TestPostgres;
let proxy: TcpProxy;
let test: TestServer;
let logs: LogCapture;

beforeAll(async () => {
  postgres = await createTestPostgres();
  proxy = await TcpProxy.start(postgres.host, postgres.port);
  const viaProxy = new URL(postgres.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  logs = captureLogs({ level: 'warn', silent: true });
  test = await startTestServer(
    { DATABASE_URL: viaProxy.toString() },
    { history: { retries: { retryDelayMs: 300, maxRetries: 6 }, pingTimeoutMs: 500 } },
  );
});

afterAll(async () => {
  logs?.stop();
  await test?.server.close();
  await proxy?.close();
  await postgres?.drop();
});

async function ready(): Promise<{
  status: number;
  body: { checks: Record<string, { status: string; message?: string }> };
}> {
  const response = await fetch(`${test.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as never };
}

/** Polls `probe` until it gives a value; `timeoutMs` guards against a hang, it bounds nothing. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function failureLines(runId: string): LogEntry[] {
  return logs.entries.filter(
    (entry) => entry.runId === runId && String(entry.message).startsWith('History write'),
  );
}

describe('a database outage', () => {
  it('does not stop runs; readiness reports it; writes are retried and land after it', async () => {
    expect((await ready()).status).toBe(200);
    const token = await devLogin(test.url, 'olive');
    const client = await ChatClient.connect(test.wsUrl, token);

    // A run in progress when the database goes away: its user message is already stored.
    client.send({ type: 'chat', id: 'slow', text: 'slow 3' });
    const slowAck = await client.waitFor((f) => f.type === 'ack' && f.ref === 'slow', 'ack slow');
    const threadId = String(slowAck.threadId);
    await client.waitForType('user_message', String(slowAck.runId));
    proxy.cut();
    const started = Date.now();
    const slowDone = await client.waitForType('agent_completed', String(slowAck.runId));
    expect(slowDone.payload).toMatchObject({ status: 'success' });

    // A whole run during the outage, in the same thread.
    client.send({ type: 'chat', id: 'calc', text: 'what is 12*(3+4)?', threadId });
    const calcAck = await client.waitFor(
      (f: Frame) => f.type === 'ack' && f.ref === 'calc',
      'ack calc',
    );
    const calcRunId = String(calcAck.runId);
    const calcDone = await client.waitForType('agent_completed', calcRunId);
    expect(calcDone.payload).toMatchObject({ status: 'success' });
    expect(String(calcDone.payload?.response)).toContain('84');
    // Both runs ended while the database was still cut off: the outage stalls no run.
    console.info(`two runs ended ${Date.now() - started} ms into the outage`);

    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.checks.database).toMatchObject({ status: 'failing' });
    expect(down.body.checks.database?.message).toMatch(/^select 1 failed: /);
    expect(down.body.checks.engine).toEqual({ status: 'ok' });
    expect((await api(test.url, token, '/api/v1/threads')).status).toBe(503);

    proxy.restore();
    await eventually('readiness', async () => ((await ready()).status === 200 ? true : undefined));
    const messages = await eventually('the retried writes', async () => {
      const response = await api(test.url, token, `/api/v1/threads/${threadId}/messages`);
      if (response.status !== 200) return undefined;
      const page = (await response.json()) as PageBody<MessageItem>;
      return page.items.length === 4 ? page.items : undefined;
    });
    expect(messages.map((m) => [m.role, m.runId])).toEqual([
      ['user', String(slowAck.runId)],
      ['assistant', String(slowAck.runId)],
      ['user', calcRunId],
      ['assistant', calcRunId],
    ]);
    expect(messages[3]).toMatchObject({
      status: 'success',
      tools: [{ name: 'calculator', ok: true }],
    });
    expect(messages[3]?.text).toContain('84');
    expect(test.server.history.writer.pendingRetries).toBe(0);
    await client.close();

    // Every failed attempt is one line with its context; attempts count 1, 2, … per write.
    for (const runId of [String(slowAck.runId), calcRunId]) {
      const lines = failureLines(runId);
      expect(lines.length, runId).toBeGreaterThan(0);
      for (const write of new Set(lines.map((line) => line.write))) {
        const attempts = lines.filter((line) => line.write === write).map((line) => line.attempts);
        expect(attempts).toEqual(attempts.map((_a, index) => index + 1));
      }
      for (const line of lines) {
        expect(line).toMatchObject({ severity: 'WARNING', userId: 'olive', threadId, runId });
        expect(typeof line.error).toBe('string');
      }
    }
    expect(
      failureLines(calcRunId)
        .map((line) => line.write)
        .sort(),
    ).toContain('run_result');
    // The hub adds no second line for the same failure.
    expect(logs.entries.filter((entry) => String(entry.message).startsWith('Hook '))).toEqual([]);
  });

  it('a database that stops answering: events go out past the 2 s bound; writes land later', async () => {
    const token = await devLogin(test.url, 'hank');
    const client = await ChatClient.connect(test.wsUrl, token);
    proxy.hang();
    // Let the pool notice its connections are gone, so the writes meet the black hole.
    await eventually('readiness to fail', async () =>
      (await ready()).status === 503 ? true : undefined,
    );
    await sleep(200);
    const started = Date.now();
    client.send({ type: 'chat', id: 'h1', text: 'what is 6*7?' });
    const ack = await client.waitFor((f) => f.type === 'ack' && f.ref === 'h1', 'ack h1');
    const runId = String(ack.runId);
    // Each hook waits at most its bound (2 s), then the event is emitted anyway.
    await client.waitForType('user_message', runId);
    const done = await client.waitFor(
      (f) => f.type === 'agent_completed' && f.runId === runId,
      'agent_completed',
    );
    const elapsed = Date.now() - started;
    expect(done.payload).toMatchObject({ status: 'success' });
    // Its two hooks each waited out their 2 s bound (a lower bound only: load only adds), and
    // the run still ended while the database hung.
    expect(elapsed).toBeGreaterThanOrEqual(3500);
    console.info(`a run against a hung database ended after ${elapsed} ms`);
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.checks.database?.message).toMatch(/select 1 failed/);

    proxy.restore();
    const messages = await eventually(
      'the retried writes',
      async () => {
        const response = await api(
          test.url,
          token,
          `/api/v1/threads/${String(ack.threadId)}/messages`,
        );
        if (response.status !== 200) return undefined;
        const page = (await response.json()) as PageBody<MessageItem>;
        return page.items.length === 2 ? page.items : undefined;
      },
      60_000,
    );
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[1]?.text).toContain('42');
    await client.close();
  });
});
