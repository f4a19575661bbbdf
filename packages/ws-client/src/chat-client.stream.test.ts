import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startClient, tick } from '../test/client-harness.js';
import { streamEvent } from '../test/fake-websocket.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function openClient(welcome: { epoch?: string; seq?: number } = {}) {
  const harness = startClient();
  await tick();
  harness.fake.last().welcome({ epoch: 'e_1', seq: 0, ...welcome });
  const seqs = () => harness.of('event').map((event) => event.seq);
  return { ...harness, seqs };
}

describe('delivering the stream', () => {
  it('types listeners by event type and calls `event` after them', async () => {
    const { client, fake } = await openClient();
    const calls: string[] = [];
    client.on('agent_started', (event) => calls.push(`started:${event.payload.agentName}`));
    client.on('tool_completed', (event) =>
      calls.push(`tool:${event.payload.toolCallId}:${String(event.payload.ok)}`),
    );
    client.on('event', (event) => calls.push(`event:${event.seq}`));
    fake.last().receive(streamEvent(1, 'agent_started', { agentName: 'assistant', input: 'hi' }));
    fake.last().receive(
      streamEvent(2, 'tool_completed', {
        toolCallId: 'tc1',
        toolName: 'calculator',
        ok: true,
        result: 4,
        durationMs: 3,
      }),
    );
    expect(calls).toEqual(['started:assistant', 'event:1', 'tool:tc1:true', 'event:2']);
  });

  it('returns an unsubscribe function from on()', async () => {
    const { client, fake } = await openClient();
    const listener = vi.fn();
    const off = client.on('agent_thinking', listener);
    fake.last().events(1);
    off();
    fake.last().events(2);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('delivers each seq once: repeats are dropped', async () => {
    const { fake, seqs, client } = await openClient();
    fake.last().events(1, 2, 2, 1, 3, 3);
    expect(seqs()).toEqual([1, 2, 3]);
    expect(client.position).toEqual({ lastSeq: 3, epoch: 'e_1' });
    expect(fake.last().sentOfType('resume')).toEqual([]);
  });

  it('answers a gap with one resume message, drops what follows, and delivers the replay in order', async () => {
    const { fake, seqs } = await openClient();
    fake.last().events(1, 2, 4, 5);
    expect(seqs()).toEqual([1, 2]);
    expect(fake.last().sentOfType('resume')).toEqual([
      { type: 'resume', id: expect.any(String), lastSeq: 2, epoch: 'e_1' },
    ]);
    fake.last().events(3, 4, 5);
    fake.last().receive({
      type: 'resumed',
      complete: true,
      fromSeq: 3,
      toSeq: 5,
      replayed: 3,
      oldestSeq: 1,
      latestSeq: 5,
    });
    fake.last().events(6);
    expect(seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fake.last().sentOfType('resume')).toHaveLength(1);
  });

  it('advances past event types it does not know without delivering them', async () => {
    const { fake, seqs } = await openClient();
    fake.last().events(1);
    fake.last().receive({ type: 'agent_dreaming', seq: 2, payload: {} });
    fake.last().events(3);
    expect(seqs()).toEqual([1, 3]);
    expect(fake.last().sentOfType('resume')).toHaveLength(0);
  });

  it('lets a later gap ask again after the server refused a resume', async () => {
    const { fake, of } = await openClient();
    fake.last().events(2);
    const [resume] = fake.last().sentOfType('resume');
    fake.last().receive({ type: 'error', code: 'rate_limited', message: 'slow', ref: resume!.id });
    expect(of('error')).toMatchObject([{ code: 'rate_limited', ref: resume!.id }]);
    fake.last().events(3);
    expect(fake.last().sentOfType('resume')).toHaveLength(2);
  });
});

describe('resuming after a reconnect', () => {
  it('reconnects with ?lastSeq&epoch and delivers the replay without repeats, without a reset', async () => {
    const { fake, seqs, of } = await openClient({ seq: 10 });
    fake.last().events(11, 12);
    fake.last().serverClose(1006);
    await tick(125);
    expect(Object.fromEntries(fake.last().url.searchParams)).toEqual({
      lastSeq: '12',
      epoch: 'e_1',
    });
    fake.last().welcome({ epoch: 'e_1', seq: 14 });
    fake.last().events(12, 13, 14);
    fake.last().receive({
      type: 'resumed',
      complete: true,
      fromSeq: 13,
      toSeq: 14,
      replayed: 2,
      oldestSeq: 1,
      latestSeq: 14,
    });
    fake.last().events(15);
    expect(seqs()).toEqual([11, 12, 13, 14, 15]);
    expect(of('reset')).toEqual([]);
    expect(of('resumed')).toMatchObject([{ complete: true, toSeq: 14 }]);
  });

  it('turns resumed {complete:false} into a reset at welcome.seq, then continues from there', async () => {
    const { fake, seqs, of, client, recorded } = await openClient({ seq: 10 });
    fake.last().events(11);
    fake.last().serverClose(1001);
    await tick(125);
    fake.last().welcome({ epoch: 'e_1', seq: 3000 });
    fake.last().receive({
      type: 'resumed',
      complete: false,
      fromSeq: 12,
      toSeq: 11,
      replayed: 0,
      oldestSeq: 2001,
      latestSeq: 3000,
    });
    expect(of('reset')).toEqual([
      {
        epoch: 'e_1',
        seq: 3000,
        previous: { lastSeq: 11, epoch: 'e_1' },
        cause: 'incomplete_resume',
      },
    ]);
    expect(client.position).toEqual({ lastSeq: 3000, epoch: 'e_1' });
    fake.last().events(3001);
    expect(seqs()).toEqual([11, 3001]);
    // `resumed` is reported first, then the reset it implies.
    expect(
      recorded.map(([type]) => type).filter((type) => type === 'resumed' || type === 'reset'),
    ).toEqual(['resumed', 'reset']);
  });

  it('resets to the new epoch when the server’s stream changed', async () => {
    const { fake, seqs, of, client } = await openClient({ seq: 10 });
    fake.last().events(11);
    fake.last().serverClose(1011);
    await tick(125);
    fake.last().welcome({ epoch: 'e_2', seq: 2 });
    fake.last().receive({
      type: 'resumed',
      complete: false,
      fromSeq: 12,
      toSeq: 11,
      replayed: 0,
      oldestSeq: 1,
      latestSeq: 2,
    });
    expect(of('reset')).toMatchObject([{ epoch: 'e_2', seq: 2, cause: 'epoch_changed' }]);
    expect(client.position).toEqual({ lastSeq: 2, epoch: 'e_2' });
    fake.last().events(3);
    expect(seqs()).toEqual([11, 3]);
    fake.last().serverClose(1006);
    await tick(125);
    expect(Object.fromEntries(fake.last().url.searchParams)).toEqual({
      lastSeq: '3',
      epoch: 'e_2',
    });
  });
});
