/**
 * Joining mid-run on one node, over raw frames (docs/protocol.md#8-joining-mid-run): a second
 * view opened while a run is in flight gets every event of the run from `welcome.activeRuns`,
 * however many the run has emitted (past `WS_RESUME_MAX_EVENTS`), and a run past `RUN_MAX_EVENTS`
 * ends with `run_too_large`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { expectSameRun, joinMidRun } from './support/late-join.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ RUN_MAX_EVENTS: '5000' });
});

afterAll(async () => {
  await test.server.close();
});

async function started(userId: string, text: string) {
  const token = await devLogin(test.url, userId);
  const starting = await ChatClient.connect(test.wsUrl, token);
  await starting.waitForType('welcome');
  starting.send({ type: 'chat', id: 'c1', text });
  const runId = String((await starting.waitForType('ack')).runId);
  const connect = (query: Record<string, string> = {}) =>
    ChatClient.connect(test.wsUrl, token, query);
  return { starting, runId, connect };
}

describe('a view that opens mid-run', () => {
  it('gets every event of the run, from welcome.activeRuns, then the rest live', async () => {
    const { starting, runId, connect } = await started('late-1', 'stream 300 at 100');
    await starting.waitFor((f) => f.type === 'agent_response_delta' && f.payload?.delta === 'w20 ');
    const { client, resumed, listed } = await joinMidRun(connect, runId);
    try {
      const first = starting.runEvents(runId)[0]!;
      expect(listed).toMatchObject({
        runId,
        threadId: first.threadId,
        agentName: 'assistant',
        firstSeq: first.seq,
        startedAt: first.ts,
      });
      expect(resumed).toMatchObject({ complete: true, fromSeq: first.seq });
      await starting.waitForType('agent_completed', runId);
      await client.waitForType('agent_completed', runId);
      expectSameRun(starting, client, runId);
      expect(
        client.runEvents(runId).find((e) => e.type === 'agent_started')?.payload,
      ).toMatchObject({ agentName: 'assistant' });
    } finally {
      await client.close();
      await starting.close();
    }
  });

  it('replays a 3,000-delta run joined after 2,000 deltas exactly, complete', async () => {
    const { starting, runId, connect } = await started('late-2', 'stream 3000 at 500');
    await starting.waitFor(
      (f) => f.type === 'agent_response_delta' && f.payload?.delta === 'w2000 ',
      'delta 2000',
    );
    const { client, resumed } = await joinMidRun(connect, runId);
    try {
      expect(resumed).toMatchObject({ complete: true });
      // More than the retention window of 1,000 events was replayed: the run was kept whole.
      expect(Number(resumed.replayed)).toBeGreaterThan(2000);
      await starting.waitForType('agent_completed', runId);
      await client.waitForType('agent_completed', runId);
      expectSameRun(starting, client, runId);
      const deltas = client.runEvents(runId).filter((e) => e.type === 'agent_response_delta');
      expect(deltas.map((e) => e.payload?.delta)).toEqual(
        Array.from({ length: 3000 }, (_, i) => `w${i + 1} `),
      );
    } finally {
      await client.close();
      await starting.close();
    }
  });

  it('lists no run once it has ended', async () => {
    const { starting, runId, connect } = await started('late-3', 'stream 3');
    await starting.waitForType('agent_completed', runId);
    const view = await connect();
    try {
      expect((await view.waitForType('welcome')).activeRuns).toEqual([]);
    } finally {
      await view.close();
      await starting.close();
    }
  });
});

describe('one run is bounded', () => {
  it('a run past RUN_MAX_EVENTS ends with agent_completed error run_too_large', async () => {
    const { starting, runId } = await started('late-4', 'stream 6000');
    try {
      const end = await starting.waitForType('agent_completed', runId);
      expect(end.payload).toMatchObject({ status: 'error', error: { code: 'run_too_large' } });
      // agent_started through agent_completed: RUN_MAX_EVENTS exactly (user_message aside).
      const run = starting.runEvents(runId).filter((e) => e.type !== 'user_message');
      expect(run).toHaveLength(5000);
      expect(run.filter((e) => e.type === 'agent_completed')).toHaveLength(1);
    } finally {
      await starting.close();
    }
  });
});
