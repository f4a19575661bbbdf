import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startClient, tick } from '../test/client-harness.js';
import { streamEvent } from '../test/fake-websocket.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const ACTIVE_RUN = {
  runId: 'r_1',
  threadId: 't_1',
  agentName: 'assistant',
  firstSeq: 3,
  startedAt: '2026-11-22T07:00:00.000Z',
};

/** The events of run `r_1` from seq 3: user message, start, thinking, deltas; `end` completes it. */
function runEvent(seq: number) {
  switch (seq) {
    case 3:
      return streamEvent(3, 'user_message', { messageId: 'm_1', text: 'slow 8' });
    case 4:
      return streamEvent(4, 'agent_started', { agentName: 'assistant', input: 'slow 8' });
    case 99:
      return streamEvent(99, 'agent_completed', {
        status: 'success',
        response: 'Done.',
        durationMs: 8,
      });
    default:
      return streamEvent(seq, 'agent_thinking', { text: `Working slowly… ${seq}` });
  }
}

describe('joining mid-run', () => {
  it('catches up on the runs in flight from the oldest firstSeq, each event once and in order', async () => {
    const { client, fake, of } = startClient();
    await tick();
    fake.last().welcome({ seq: 6, activeRuns: [ACTIVE_RUN] });

    expect(fake.last().sentOfType('resume')).toEqual([
      { type: 'resume', id: expect.any(String), lastSeq: 2, epoch: 'e_1' },
    ]);
    expect(of('catch_up')).toEqual([{ fromSeq: 3, runs: [ACTIVE_RUN] }]);
    expect(client.activeRuns).toEqual([ACTIVE_RUN]);

    // A live event before the replay; the server then replays 3..7 and continues live.
    fake.last().receive(runEvent(7));
    for (const seq of [3, 4, 5, 6, 7]) fake.last().receive(runEvent(seq));
    fake.last().receive({
      type: 'resumed',
      complete: true,
      fromSeq: 3,
      toSeq: 7,
      replayed: 5,
      oldestSeq: 1,
      latestSeq: 7,
    });
    fake.last().receive(runEvent(8));
    expect(of('event').map((event) => event.seq)).toEqual([3, 4, 5, 6, 7, 8]);

    const view = client.run('r_1');
    expect(view).toMatchObject({
      agentName: 'assistant',
      input: 'slow 8',
      userMessage: { messageId: 'm_1', text: 'slow 8' },
      status: 'running',
      fromStart: true,
      firstSeq: 3,
      lastSeq: 8,
    });
    expect(view?.steps.map((step) => step.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(of('run').at(-1)).toBe(view);
    expect(client.position).toEqual({ lastSeq: 8, epoch: 'e_1' });

    fake.last().receive(streamEvent(9, 'agent_response_delta', { delta: 'Done.' }));
    fake.last().receive({ ...runEvent(99), seq: 10 });
    expect(of('run').at(-1)).toMatchObject({ status: 'success', text: 'Done.', lastSeq: 10 });
    expect(client.activeRuns).toEqual([]);
    expect(client.run('r_1')).toBeUndefined();
  });

  it('catches up again from where it stood when the connection drops during the catch-up', async () => {
    const { fake, of } = startClient();
    await tick();
    fake.last().welcome({ seq: 6, activeRuns: [ACTIVE_RUN] });
    fake.last().receive(runEvent(3));
    fake.last().serverClose(1006);
    await tick(1000);
    // Connect-time resume from the last delivered seq: exact, no second catch-up needed.
    expect(fake.last().url.searchParams.get('lastSeq')).toBe('3');
    fake.last().welcome({ seq: 6, activeRuns: [ACTIVE_RUN] });
    expect(fake.last().sentOfType('resume')).toEqual([]);
    for (const seq of [4, 5, 6]) fake.last().receive(runEvent(seq));
    expect(of('event').map((event) => event.seq)).toEqual([3, 4, 5, 6]);
    expect(of('catch_up')).toHaveLength(1);
  });

  it('does not catch up on a reconnect that resumes completely', async () => {
    const { fake, of } = startClient({ position: { lastSeq: 5, epoch: 'e_1' } });
    await tick();
    fake.last().welcome({ seq: 6, activeRuns: [ACTIVE_RUN] });
    expect(fake.last().sentOfType('resume')).toEqual([]);
    expect(of('catch_up')).toEqual([]);
  });

  it('after an incomplete connect-time resume, resets and catches up on the runs in flight', async () => {
    const { client, fake, of } = startClient({ position: { lastSeq: 1, epoch: 'e_1' } });
    await tick();
    fake.last().welcome({ seq: 6, activeRuns: [ACTIVE_RUN] });
    fake.last().receive({
      type: 'resumed',
      complete: false,
      fromSeq: 2,
      toSeq: 1,
      replayed: 0,
      oldestSeq: 3,
      latestSeq: 6,
    });
    expect(of('reset')).toEqual([
      { epoch: 'e_1', seq: 2, previous: { lastSeq: 1, epoch: 'e_1' }, cause: 'incomplete_resume' },
    ]);
    expect(fake.last().sentOfType('resume')).toMatchObject([{ lastSeq: 2, epoch: 'e_1' }]);
    expect(of('catch_up')).toEqual([{ fromSeq: 3, runs: [ACTIVE_RUN] }]);
    for (const seq of [3, 4]) fake.last().receive(runEvent(seq));
    expect(client.run('r_1')).toMatchObject({ fromStart: true, agentName: 'assistant' });
  });

  it('lists runs started after welcome and ignores malformed activeRuns entries', async () => {
    const { client, fake } = startClient();
    await tick();
    fake
      .last()
      .welcome({ seq: 2, activeRuns: [{ runId: 'r_x', firstSeq: 'one' }, 42, null, ACTIVE_RUN] });
    expect(client.activeRuns).toEqual([ACTIVE_RUN]);
    expect(fake.last().sentOfType('resume')).toEqual([]); // firstSeq 3 is after welcome.seq 2
    fake.last().receive({ ...runEvent(3), runId: 'r_2', threadId: 't_2' });
    expect(client.activeRuns).toEqual([
      ACTIVE_RUN,
      {
        runId: 'r_2',
        threadId: 't_2',
        agentName: '',
        firstSeq: 3,
        startedAt: '2026-11-22T07:00:00.000Z',
      },
    ]);
    fake.last().receive({ ...runEvent(4), runId: 'r_2', threadId: 't_2' });
    expect(client.activeRuns[1]?.agentName).toBe('assistant');
  });

  it('without activeRuns in welcome (an older server), starts at welcome.seq', async () => {
    const { client, fake, of } = startClient();
    await tick();
    fake.last().welcome({ seq: 4 });
    expect(fake.last().sentOfType('resume')).toEqual([]);
    expect(client.activeRuns).toEqual([]);
    fake.last().receive(runEvent(5));
    expect(of('event').map((event) => event.seq)).toEqual([5]);
    expect(client.run('r_1')).toMatchObject({ fromStart: false, firstSeq: 5 });
  });
});
