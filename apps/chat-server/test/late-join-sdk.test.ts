/**
 * The client SDK joining a run in flight on a real server: a second `@app/ws-client` client that
 * connects mid-run (no stored position) catches up by itself on `welcome.activeRuns`, delivers
 * every event of the run once and in order, and ends with the same run view as the client that
 * started it (docs/protocol.md#8-joining-mid-run).
 */
import {
  createChatClient,
  type CatchUpInfo,
  type ChatClient,
  type ResetInfo,
  type RunView,
} from '@app/ws-client';
import type { ChatEvent } from '@app/ws-protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test.server.close();
});

/** A client and everything it delivered. */
interface Recorded {
  client: ChatClient;
  events: ChatEvent[];
  views: Map<string, RunView>;
  catchUps: CatchUpInfo[];
  resets: ResetInfo[];
}

function connect(token: string): Recorded {
  const client = createChatClient({
    url: `${test.wsUrl}/ws`,
    getToken: () => token,
    WebSocket,
    connectTimeoutMs: 60_000,
  });
  const recorded: Recorded = { client, events: [], views: new Map(), catchUps: [], resets: [] };
  client.on('event', (event) => recorded.events.push(event));
  client.on('run', (view) => recorded.views.set(view.runId, view));
  client.on('catch_up', (info) => recorded.catchUps.push(info));
  client.on('reset', (reset) => recorded.resets.push(reset));
  return recorded;
}

/** Polls `check` until it holds (a hang guard, not a latency bound). */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the client SDK joining a run in flight', () => {
  it('catches up from the run’s first event and ends with the same view as the starting client', async () => {
    const token = await devLogin(test.url, 'late-sdk');
    const first = connect(token);
    const clients = [first];
    try {
      const { runId } = await first.client.chat('slow 20');
      await until(
        () => (first.views.get(runId)?.steps.length ?? 0) >= 4,
        'three steps of the run on the first client',
      );

      const late = connect(token);
      clients.push(late);
      await until(() => late.client.state === 'open', 'the late client to open');
      expect(late.client.activeRuns).toMatchObject([{ runId, agentName: 'assistant' }]);
      await until(() => late.views.get(runId)?.status === 'success', 'the late client’s run end');
      await until(() => first.views.get(runId)?.status === 'success', 'the first client’s run end');

      const started = first.views.get(runId);
      const joined = late.views.get(runId);
      expect(joined).toEqual(started);
      expect(joined).toMatchObject({
        agentName: 'assistant',
        fromStart: true,
        userMessage: { text: 'slow 20' },
        text: 'Done after 20 seconds.',
      });
      expect(late.catchUps).toEqual([
        { fromSeq: started?.firstSeq, runs: [expect.objectContaining({ runId })] },
      ]);
      expect(late.resets).toEqual([]);
      const seqs = late.events.map((event) => event.seq);
      expect(seqs).toEqual(seqs.map((_seq, index) => (started?.firstSeq ?? 0) + index));
      expect(late.events.filter((event) => event.runId === runId)).toEqual(
        first.events.filter((event) => event.runId === runId),
      );
      expect(late.client.activeRuns).toEqual([]);
      expect(late.client.run(runId)).toBeUndefined();
    } finally {
      for (const { client } of clients) client.close();
    }
  });
});
