import { describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { devLogin, startTestServer } from './support/test-server.js';

/**
 * A grace no run of these tests outlasts unless it is meant to: what happens during the grace
 * is checked without racing its end.
 */
const LONG_GRACE_MS = '120000';
/** One `slow N` second that makes `slow 30` outlast any check of these tests (60 s). */
const LONG_TICK_MS = 2000;

describe('graceful shutdown', () => {
  it('turns readiness and upgrades to 503 and refuses new chats during the grace, then closes with 1001', async () => {
    const test = await startTestServer(
      { SHUTDOWN_GRACE_MS: LONG_GRACE_MS },
      { agents: { assistant: { slowTickMs: LONG_TICK_MS } } },
    );
    const token = await devLogin(test.url, 'judy');
    const client = await ChatClient.connect(test.wsUrl, token);
    await client.waitForType('welcome');
    client.send({ type: 'chat', id: 'long', text: 'slow 30' });
    const ack = await client.waitForType('ack');
    const runId = String(ack.runId);
    await client.waitForType('agent_thinking', runId);

    const closing = test.server.close();
    expect(test.server.close()).toBe(closing);

    const ready = await fetch(`${test.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not_ready',
      checks: {
        shutdown: { status: 'failing', message: 'the server is shutting down' },
        engine: { status: 'ok' },
        database: { status: 'ok' },
      },
    });
    expect((await fetch(`${test.url}/health/live`)).status).toBe(200);
    await expect(ChatClient.connect(test.wsUrl, token)).rejects.toThrow(/HTTP 503/);

    client.send({ type: 'chat', id: 'late', text: 'what is 1+1?' });
    const refused = await client.waitFor(
      (frame) => frame.type === 'error' && frame.ref === 'late',
      'error for late',
    );
    expect(refused).toMatchObject({ code: 'unavailable' });

    // The grace waits for the run, not for a timer: once it ends, the server closes.
    client.send({ type: 'cancel', id: 'stop', runId });
    const terminal = await client.waitForType('agent_completed', runId);
    expect(terminal.payload).toMatchObject({ status: 'cancelled' });
    expect((await client.closed).code).toBe(1001);
    await closing;
    await expect(fetch(`${test.url}/health/live`)).rejects.toThrow();
  });

  it('lets a run that ends within the grace finish with success', async () => {
    const test = await startTestServer({ SHUTDOWN_GRACE_MS: LONG_GRACE_MS });
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'kate'));
    await client.waitForType('welcome');
    client.send({ type: 'chat', id: 'short', text: 'slow 2' });
    const ack = await client.waitForType('ack');
    await client.waitForType('agent_thinking', String(ack.runId));
    const closing = test.server.close();
    const terminal = await client.waitForType('agent_completed', String(ack.runId));
    expect(terminal.payload).toMatchObject({ status: 'success' });
    expect((await client.closed).code).toBe(1001);
    await closing;
  });

  it('cancels the runs still going when the grace is over, delivers their end, closes with 1001', async () => {
    const graceMs = 300;
    const test = await startTestServer(
      { SHUTDOWN_GRACE_MS: String(graceMs) },
      { agents: { assistant: { slowTickMs: LONG_TICK_MS } } },
    );
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'lars'));
    await client.waitForType('welcome');
    client.send({ type: 'chat', id: 'long', text: 'slow 30' });
    const runId = String((await client.waitForType('ack')).runId);
    await client.waitForType('agent_started', runId);

    const closedAt = Date.now();
    const closing = test.server.close();
    const terminal = await client.waitForType('agent_completed', runId);
    // Not before the grace was over (a lower bound only: a loaded machine is only slower).
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(graceMs - 10);
    expect(terminal.payload).toMatchObject({ status: 'cancelled' });
    expect((await client.closed).code).toBe(1001);
    await closing;
  });
});
