import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test.server.close();
});

async function dropConnections(userId: string): Promise<Response> {
  return fetch(`${test.url}/api/v1/test/drop-connections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
}

describe('drop and resume in the middle of a run', () => {
  it('"slow 5", dropped mid-run, resumes with no gap and no duplicate', async () => {
    const token = await devLogin(test.url, 'frank');
    const first = await ChatClient.connect(test.wsUrl, token);
    const welcome = await first.waitForType('welcome');
    first.send({ type: 'chat', id: 's1', text: 'slow 5' });
    const ack = await first.waitForType('ack');
    const runId = String(ack.runId);
    await first.waitFor(
      (frame) => frame.type === 'agent_thinking' && frame.payload?.text === 'Working slowly… 1/5 s',
    );

    const drop = await dropConnections('frank');
    expect(drop.status).toBe(200);
    expect(await drop.json()).toEqual({ dropped: 1 });
    expect((await first.closed).code).toBe(1006);
    const before = first.events();
    const lastSeq = Number(before.at(-1)?.seq);
    expect(before.at(-1)?.type).not.toBe('agent_completed');

    const second = await ChatClient.connect(test.wsUrl, token, {
      lastSeq: String(lastSeq),
      epoch: String(welcome.epoch),
    });
    try {
      const resumed = await second.waitForType('resumed');
      expect(resumed).toMatchObject({ complete: true, fromSeq: lastSeq + 1 });
      await second.waitForType('agent_completed', runId);

      expect(second.frames[0]?.type).toBe('welcome');
      const after = second.events();
      const all = [...before, ...after];
      const seqs = all.map((event) => event.seq);
      expect(seqs).toEqual(seqs.map((_seq, index) => Number(welcome.seq) + 1 + index));
      expect(after[0]?.seq).toBe(lastSeq + 1);

      // The replay precedes `resumed`; live events follow it.
      const resumedAt = second.frames.indexOf(resumed);
      for (const [index, frame] of second.frames.entries()) {
        if (typeof frame.seq !== 'number' || frame.type === 'welcome') continue;
        expect(index < resumedAt).toBe(frame.seq <= Number(resumed.toSeq));
      }

      const run = all.filter((event) => event.runId === runId);
      expect(
        run.map((event) => event.type).filter((type) => type === 'agent_thinking'),
      ).toHaveLength(6);
      expect(run.at(-1)).toMatchObject({
        type: 'agent_completed',
        payload: { status: 'success', response: 'Done after 5 seconds.' },
      });
    } finally {
      await second.close();
    }
  });

  it('the drop hook validates its body and counts nothing for an unknown user', async () => {
    expect(await (await dropConnections('nobody-here')).json()).toEqual({ dropped: 0 });
    const bad = await fetch(`${test.url}/api/v1/test/drop-connections`, {
      method: 'POST',
      body: '{}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'invalid_request', message: 'userId is required and must be a string' },
    });
  });

  it('cancel stops a slow run at once with status cancelled', async () => {
    const client = await ChatClient.connect(test.wsUrl, await devLogin(test.url, 'gina'));
    try {
      await client.waitForType('welcome');
      client.send({ type: 'chat', id: 'g1', text: 'slow 30' });
      const ack = await client.waitForType('ack');
      await client.waitForType('agent_thinking', String(ack.runId));
      client.send({ type: 'cancel', id: 'g2', runId: ack.runId });
      const terminal = await client.waitForType('agent_completed', String(ack.runId));
      expect(terminal.payload).toMatchObject({ status: 'cancelled' });
    } finally {
      await client.close();
    }
  });
});
