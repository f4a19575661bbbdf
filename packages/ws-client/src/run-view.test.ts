import type { ChatEvent, EventPayloads, EventType } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { emptyRunView, foldRunViews, reduceRunView, runAnswer, type RunView } from './run-view.js';

function event<K extends EventType>(
  seq: number,
  type: K,
  payload: EventPayloads[K],
  runId = 'r_1',
): ChatEvent {
  return {
    type,
    seq,
    runId,
    threadId: 't_1',
    ts: `2026-11-22T07:00:${String(seq).padStart(2, '0')}.000Z`,
    payload,
  } as ChatEvent;
}

/** A whole calculator run, as the demo agent emits it. */
const RUN: ChatEvent[] = [
  event(1, 'user_message', { messageId: 'm_1', text: 'what is 2+2?' }),
  event(2, 'agent_started', { agentName: 'assistant', input: 'what is 2+2?' }),
  event(3, 'agent_thinking', { text: 'Using the calculator tool.' }),
  event(4, 'tool_executing', {
    toolCallId: 'tc_1',
    toolName: 'calculator',
    args: { expression: '2+2' },
  }),
  event(5, 'tool_completed', {
    toolCallId: 'tc_1',
    toolName: 'calculator',
    ok: true,
    result: 4,
    durationMs: 3,
  }),
  event(6, 'agent_response_delta', { delta: '2+2 = ' }),
  event(7, 'agent_response_delta', { delta: '4.' }),
  event(8, 'agent_completed', { status: 'success', response: '2+2 = 4.', durationMs: 40 }),
];

function fold(events: readonly ChatEvent[]): RunView {
  let view: RunView | undefined;
  for (const e of events) view = reduceRunView(view, e);
  if (!view) throw new Error('no events');
  return view;
}

describe('reduceRunView', () => {
  it('folds a whole run: agent, input, steps in order, tool call with args and result, text, status', () => {
    const view = fold(RUN);
    expect(view).toMatchObject({
      runId: 'r_1',
      threadId: 't_1',
      agentName: 'assistant',
      input: 'what is 2+2?',
      userMessage: { messageId: 'm_1', text: 'what is 2+2?' },
      status: 'success',
      text: '2+2 = 4.',
      deltaCount: 2,
      response: '2+2 = 4.',
      error: undefined,
      durationMs: 40,
      startedAt: '2026-11-22T07:00:01.000Z',
      firstSeq: 1,
      lastSeq: 8,
      fromStart: true,
    });
    expect(view.steps.map((step) => [step.seq, step.type])).toEqual([
      [2, 'agent_started'],
      [3, 'agent_thinking'],
      [4, 'tool_executing'],
      [5, 'tool_completed'],
      [8, 'agent_completed'],
    ]);
    expect(view.toolCalls).toEqual([
      {
        toolCallId: 'tc_1',
        toolName: 'calculator',
        args: { expression: '2+2' },
        status: 'ok',
        result: 4,
        durationMs: 3,
      },
    ]);
    expect(runAnswer(view)).toBe('2+2 = 4.');
  });

  it('shows the state so far at every step (running, a tool call in flight, the text so far)', () => {
    const midCall = fold(RUN.slice(0, 4));
    expect(midCall.status).toBe('running');
    expect(midCall.toolCalls).toEqual([
      {
        toolCallId: 'tc_1',
        toolName: 'calculator',
        args: { expression: '2+2' },
        status: 'running',
      },
    ]);
    const midText = fold(RUN.slice(0, 6));
    expect(midText.text).toBe('2+2 = ');
    expect(midText.response).toBeUndefined();
    expect(runAnswer(midText)).toBe('2+2 = ');
  });

  it('never mutates the view it is given', () => {
    const before = fold(RUN.slice(0, 3));
    const snapshot = structuredClone(before);
    const after = reduceRunView(before, RUN[3]!);
    expect(before).toEqual(snapshot);
    expect(after).not.toBe(before);
    expect(after.steps).toHaveLength(before.steps.length + 1);
  });

  it('ignores repeats, events of other runs and anything after agent_completed', () => {
    const view = fold(RUN.slice(0, 5));
    expect(reduceRunView(view, RUN[2]!)).toBe(view);
    expect(reduceRunView(view, event(9, 'agent_thinking', { text: 'x' }, 'r_2'))).toBe(view);
    const done = fold(RUN);
    expect(reduceRunView(done, event(9, 'agent_response_delta', { delta: 'late' }))).toBe(done);
  });

  it('marks a view that started mid-run, and still shows a tool result whose call it missed', () => {
    const view = fold(RUN.slice(4));
    expect(view.fromStart).toBe(false);
    expect(view.agentName).toBeUndefined();
    expect(view.firstSeq).toBe(5);
    expect(view.toolCalls).toEqual([
      {
        toolCallId: 'tc_1',
        toolName: 'calculator',
        args: {},
        status: 'ok',
        result: 4,
        durationMs: 3,
      },
    ]);
    expect(fold(RUN.slice(1)).fromStart).toBe(true); // agent_started: a run without user_message
  });

  it('keeps a failed tool call and a failed run with their errors', () => {
    const view = fold([
      event(1, 'agent_started', { agentName: 'assistant', input: 'fail tool' }),
      event(2, 'tool_executing', { toolCallId: 'tc', toolName: 'clock', args: {} }),
      event(3, 'tool_completed', {
        toolCallId: 'tc',
        toolName: 'clock',
        ok: false,
        error: { code: 'tool_failed', message: 'on purpose' },
        durationMs: 1,
      }),
      event(4, 'agent_completed', {
        status: 'error',
        error: { code: 'agent_error', message: 'crashed' },
        durationMs: 9,
      }),
    ]);
    expect(view.toolCalls[0]).toMatchObject({
      status: 'failed',
      error: { code: 'tool_failed', message: 'on purpose' },
    });
    expect(view.toolCalls[0]).not.toHaveProperty('result');
    expect(view).toMatchObject({
      status: 'error',
      error: { code: 'agent_error', message: 'crashed' },
      response: undefined,
    });
    expect(runAnswer(view)).toBe('');
  });

  it('folds the same events into the same view however they are split (replay then live)', () => {
    const whole = fold(RUN);
    const replayed = fold(RUN.slice(0, 5));
    let resumed = replayed;
    for (const e of [...RUN.slice(3), ...RUN.slice(5)]) resumed = reduceRunView(resumed, e);
    expect(resumed).toEqual(whole);
  });
});

describe('foldRunViews', () => {
  it('keeps one view per run for interleaved runs', () => {
    const views = foldRunViews([
      event(1, 'agent_started', { agentName: 'assistant', input: 'a' }, 'r_a'),
      event(2, 'agent_started', { agentName: 'llm', input: 'b' }, 'r_b'),
      event(3, 'agent_response_delta', { delta: 'A' }, 'r_a'),
      event(4, 'agent_response_delta', { delta: 'B' }, 'r_b'),
      event(5, 'agent_completed', { status: 'cancelled', durationMs: 5 }, 'r_b'),
    ]);
    expect([...views.keys()]).toEqual(['r_a', 'r_b']);
    expect(views.get('r_a')).toMatchObject({
      agentName: 'assistant',
      text: 'A',
      status: 'running',
    });
    expect(views.get('r_b')).toMatchObject({ agentName: 'llm', text: 'B', status: 'cancelled' });
  });
});

describe('emptyRunView', () => {
  it('is a running placeholder before any event, and folding the whole run into it gives the same timeline, text and outcome', () => {
    const empty = emptyRunView('r_1', 't_1', '2026-11-22T06:59:59.000Z');
    expect(empty).toMatchObject({ status: 'running', lastSeq: 0, steps: [], text: '' });
    let view = empty;
    for (const e of RUN) view = reduceRunView(view, e);
    const direct = fold(RUN);
    expect(view.steps).toEqual(direct.steps);
    expect(view.toolCalls).toEqual(direct.toolCalls);
    expect([view.agentName, view.text, view.status, view.lastSeq]).toEqual([
      direct.agentName,
      direct.text,
      direct.status,
      direct.lastSeq,
    ]);
    expect(view.startedAt).toBe('2026-11-22T06:59:59.000Z');
  });
});
