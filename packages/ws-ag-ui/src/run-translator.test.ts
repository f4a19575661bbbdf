import { EventType } from '@ag-ui/core';
import { EventSchema } from '@ag-ui/core/schemas';
import type { EventPayloads, UnsequencedEvent } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import {
  AgUiRunTranslator,
  isTerminalAgUiEvent,
  translateRunEvents,
  type NumberedAgUiEvent,
} from './run-translator';

const RUN = 'r_1';
const THREAD = 't_1';
const TS = '2026-12-02T10:00:00.000Z';
const MS = Date.parse(TS);

function ev<K extends keyof EventPayloads>(type: K, payload: EventPayloads[K]): UnsequencedEvent {
  return { type, runId: RUN, threadId: THREAD, ts: TS, payload } as UnsequencedEvent;
}

const started = ev('agent_started', { agentName: 'assistant', input: 'what is 12*(3+4)?' });
const userMessage = ev('user_message', { messageId: 'm_1', text: 'what is 12*(3+4)?' });
const thinking = (text: string) => ev('agent_thinking', { text });
const delta = (text: string) => ev('agent_response_delta', { delta: text });
const executing = ev('tool_executing', {
  toolCallId: 'tc_1',
  toolName: 'calculator',
  args: { expression: '12*(3+4)' },
});
const completed = (status: 'success' | 'error' | 'cancelled' | 'timeout', extra = {}) =>
  ev('agent_completed', { status, durationMs: 5, ...extra });

function types(events: readonly NumberedAgUiEvent[]): EventType[] {
  return events.map((numbered) => numbered.event.type);
}

describe('AgUiRunTranslator', () => {
  it('maps a calculator run event by event, numbering from 1 without a gap', () => {
    const events = [
      userMessage,
      started,
      thinking('Looking for arithmetic'),
      executing,
      ev('tool_completed', {
        toolCallId: 'tc_1',
        toolName: 'calculator',
        ok: true,
        result: 84,
        durationMs: 1,
      }),
      delta('12*(3+4) = '),
      delta('84'),
      completed('success', { response: '12*(3+4) = 84' }),
    ];
    const out = translateRunEvents(events);
    expect(out.map((numbered) => numbered.id)).toEqual(out.map((_, i) => i + 1));
    expect(out.map((numbered) => numbered.event)).toEqual([
      {
        type: EventType.RUN_STARTED,
        threadId: THREAD,
        runId: RUN,
        protocolVersion: '1.0',
        timestamp: MS,
      },
      { type: EventType.REASONING_START, messageId: 'r_1-reasoning-1', timestamp: MS },
      {
        type: EventType.REASONING_MESSAGE_START,
        messageId: 'r_1-reasoning-1-message',
        role: 'reasoning',
        timestamp: MS,
      },
      {
        type: EventType.REASONING_MESSAGE_CONTENT,
        messageId: 'r_1-reasoning-1-message',
        delta: 'Looking for arithmetic',
        timestamp: MS,
      },
      {
        type: EventType.REASONING_MESSAGE_END,
        messageId: 'r_1-reasoning-1-message',
        timestamp: MS,
      },
      { type: EventType.REASONING_END, messageId: 'r_1-reasoning-1', timestamp: MS },
      {
        type: EventType.TOOL_CALL_START,
        toolCallId: 'tc_1',
        toolCallName: 'calculator',
        timestamp: MS,
      },
      {
        type: EventType.TOOL_CALL_ARGS,
        toolCallId: 'tc_1',
        delta: '{"expression":"12*(3+4)"}',
        timestamp: MS,
      },
      { type: EventType.TOOL_CALL_END, toolCallId: 'tc_1', timestamp: MS },
      {
        type: EventType.TOOL_CALL_RESULT,
        messageId: 'r_1-tool-tc_1',
        toolCallId: 'tc_1',
        content: '84',
        role: 'tool',
        timestamp: MS,
      },
      {
        type: EventType.TEXT_MESSAGE_START,
        messageId: 'r_1-text-1',
        role: 'assistant',
        timestamp: MS,
      },
      {
        type: EventType.TEXT_MESSAGE_CONTENT,
        messageId: 'r_1-text-1',
        delta: '12*(3+4) = ',
        timestamp: MS,
      },
      { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'r_1-text-1', delta: '84', timestamp: MS },
      { type: EventType.TEXT_MESSAGE_END, messageId: 'r_1-text-1', timestamp: MS },
      { type: EventType.RUN_FINISHED, threadId: THREAD, runId: RUN, timestamp: MS },
    ]);
    for (const numbered of out) expect(EventSchema.safeParse(numbered.event).success).toBe(true);
  });

  it('gives user_message nothing, and events after the terminal one nothing', () => {
    const translator = new AgUiRunTranslator();
    expect(translator.translate(userMessage)).toEqual([]);
    expect(translator.lastId).toBe(0);
    expect(types(translator.translate(started))).toEqual([EventType.RUN_STARTED]);
    expect(translator.ended).toBe(false);
    expect(types(translator.translate(completed('success')))).toEqual([EventType.RUN_FINISHED]);
    expect(translator.ended).toBe(true);
    expect(translator.translate(delta('late'))).toEqual([]);
    expect(translator.translate(completed('error'))).toEqual([]);
    expect(translator.lastId).toBe(2);
  });

  it('maps each agent_thinking to its own closed reasoning span and message', () => {
    const out = translateRunEvents([started, thinking('a'), thinking('')]);
    const reasoning = [
      EventType.REASONING_START,
      EventType.REASONING_MESSAGE_START,
      EventType.REASONING_MESSAGE_CONTENT,
      EventType.REASONING_MESSAGE_END,
      EventType.REASONING_END,
    ];
    expect(types(out)).toEqual([EventType.RUN_STARTED, ...reasoning, ...reasoning]);
    const ids = out.slice(1).map((numbered) => (numbered.event as { messageId: string }).messageId);
    expect(new Set(ids)).toEqual(
      new Set([
        'r_1-reasoning-1',
        'r_1-reasoning-1-message',
        'r_1-reasoning-2',
        'r_1-reasoning-2-message',
      ]),
    );
    expect(out[8]?.event).toMatchObject({ delta: '' });
  });

  it('writes tool args as JSON text and results as text; a failed call as its error', () => {
    const out = translateRunEvents([
      started,
      ev('tool_executing', { toolCallId: 'a', toolName: 'clock', args: {} }),
      ev('tool_completed', {
        toolCallId: 'a',
        toolName: 'clock',
        ok: true,
        result: 'noon',
        durationMs: 1,
      }),
      ev('tool_executing', { toolCallId: 'b', toolName: 'lookup', args: { q: 'x', n: [1, 2] } }),
      ev('tool_completed', {
        toolCallId: 'b',
        toolName: 'lookup',
        ok: true,
        result: { rows: 2 },
        durationMs: 1,
      }),
      ev('tool_executing', {
        toolCallId: 'c',
        toolName: 'calculator',
        args: { expression: '1/0' },
      }),
      ev('tool_completed', {
        toolCallId: 'c',
        toolName: 'calculator',
        ok: false,
        error: { code: 'tool_failed', message: 'division by zero' },
        durationMs: 1,
      }),
      ev('tool_completed', { toolCallId: 'd', toolName: 'x', ok: true, durationMs: 1 }),
    ]);
    const args = out.filter((n) => n.event.type === EventType.TOOL_CALL_ARGS);
    expect(args.map((n) => (n.event as { delta: string }).delta)).toEqual([
      '{}',
      '{"q":"x","n":[1,2]}',
      '{"expression":"1/0"}',
    ]);
    const results = out.filter((n) => n.event.type === EventType.TOOL_CALL_RESULT);
    expect(results.map((n) => (n.event as { content: string }).content)).toEqual([
      'noon',
      '{"rows":2}',
      '{"error":{"code":"tool_failed","message":"division by zero"}}',
      'null',
    ]);
    for (const numbered of out) expect(EventSchema.safeParse(numbered.event).success).toBe(true);
  });

  it('closes an open text message before any other event, and opens a new one after', () => {
    const out = translateRunEvents([
      started,
      delta('Let me check. '),
      executing,
      delta('Done'),
      completed('success'),
    ]);
    expect(types(out)).toEqual([
      EventType.RUN_STARTED,
      EventType.TEXT_MESSAGE_START,
      EventType.TEXT_MESSAGE_CONTENT,
      EventType.TEXT_MESSAGE_END,
      EventType.TOOL_CALL_START,
      EventType.TOOL_CALL_ARGS,
      EventType.TOOL_CALL_END,
      EventType.TEXT_MESSAGE_START,
      EventType.TEXT_MESSAGE_CONTENT,
      EventType.TEXT_MESSAGE_END,
      EventType.RUN_FINISHED,
    ]);
    expect(out[1]?.event).toMatchObject({ messageId: 'r_1-text-1' });
    expect(out[3]?.event).toMatchObject({ messageId: 'r_1-text-1' });
    expect(out[7]?.event).toMatchObject({ messageId: 'r_1-text-2' });
    expect(out[9]?.event).toMatchObject({ messageId: 'r_1-text-2' });
  });

  it('sends a response that came without deltas as one text message, and never twice', () => {
    const whole = translateRunEvents([started, completed('success', { response: 'Hello' })]);
    expect(types(whole)).toEqual([
      EventType.RUN_STARTED,
      EventType.TEXT_MESSAGE_START,
      EventType.TEXT_MESSAGE_CONTENT,
      EventType.TEXT_MESSAGE_END,
      EventType.RUN_FINISHED,
    ]);
    expect(whole[2]?.event).toMatchObject({ delta: 'Hello', messageId: 'r_1-text-1' });
    const streamed = translateRunEvents([
      started,
      delta('Hel'),
      thinking('x'),
      completed('success', { response: 'Hello' }),
    ]);
    expect(types(streamed).filter((t) => t === EventType.TEXT_MESSAGE_START)).toHaveLength(1);
    const empty = translateRunEvents([started, completed('success', { response: '' })]);
    expect(types(empty)).toEqual([EventType.RUN_STARTED, EventType.RUN_FINISHED]);
  });

  it('ends a cancelled run with RUN_FINISHED and the cancelled outcome, text closed first', () => {
    const out = translateRunEvents([
      started,
      delta('partial'),
      completed('cancelled', { response: 'partial' }),
    ]);
    expect(types(out)).toEqual([
      EventType.RUN_STARTED,
      EventType.TEXT_MESSAGE_START,
      EventType.TEXT_MESSAGE_CONTENT,
      EventType.TEXT_MESSAGE_END,
      EventType.RUN_FINISHED,
    ]);
    expect(out[4]?.event).toEqual({
      type: EventType.RUN_FINISHED,
      threadId: THREAD,
      runId: RUN,
      outcome: { type: 'cancelled' },
      timestamp: MS,
    });
    expect(EventSchema.safeParse(out[4]?.event).success).toBe(true);
    // A cancelled run's partial response is not sent again as a message.
    expect(types(translateRunEvents([started, completed('cancelled', { response: 'x' })]))).toEqual(
      [EventType.RUN_STARTED, EventType.RUN_FINISHED],
    );
  });

  it.each([
    ['error', { code: 'agent_error', message: 'The agent crashed' }],
    ['timeout', { code: 'stall_timeout', message: 'No event for 30000 ms' }],
    ['error', { code: 'node_lost', message: 'The node running this run was lost' }],
    ['error', { code: 'run_too_large', message: 'The run passed 20000 events' }],
  ] as const)('ends a %s run (%o) with RUN_ERROR carrying message and code', (status, error) => {
    const out = translateRunEvents([started, delta('so far'), completed(status, { error })]);
    expect(types(out).slice(-2)).toEqual([EventType.TEXT_MESSAGE_END, EventType.RUN_ERROR]);
    expect(out.at(-1)?.event).toEqual({
      type: EventType.RUN_ERROR,
      message: error.message,
      code: error.code,
      timestamp: MS,
    });
    expect(EventSchema.safeParse(out.at(-1)?.event).success).toBe(true);
  });

  it('names the status when an unsuccessful run carries no error', () => {
    const out = translateRunEvents([started, completed('timeout')]);
    expect(out.at(-1)?.event).toMatchObject({
      type: EventType.RUN_ERROR,
      code: 'timeout',
      message: 'The run ended with status timeout',
    });
  });

  it('starts a run that ended before its agent started (node lost right after the ack)', () => {
    const out = translateRunEvents([
      userMessage,
      completed('error', { error: { code: 'node_lost', message: 'lost' } }),
    ]);
    expect(out.map((n) => [n.id, n.event.type])).toEqual([
      [1, EventType.RUN_STARTED],
      [2, EventType.RUN_ERROR],
    ]);
    expect(out[0]?.event).toMatchObject({ runId: RUN, threadId: THREAD });
  });

  it('leaves out a timestamp it cannot read, and takes events with or without seq', () => {
    const out = translateRunEvents([{ ...started, ts: 'not a date', seq: 7 }]);
    expect(out[0]?.event).not.toHaveProperty('timestamp');
  });

  it('numbers alike whoever translates: a resume skips by number', () => {
    const run = [userMessage, started, thinking('t'), executing, delta('a'), completed('success')];
    const whole = translateRunEvents(run);
    const again = translateRunEvents(run.map((event) => ({ ...event })));
    expect(again).toEqual(whole);
    const translator = new AgUiRunTranslator();
    const pieces = run.flatMap((event) => translator.translate(event));
    expect(pieces).toEqual(whole);
  });

  it('knows the terminal AG-UI events', () => {
    const out = translateRunEvents([started, completed('success')]);
    expect(out.map((n) => isTerminalAgUiEvent(n.event))).toEqual([false, true]);
    const failed = translateRunEvents([started, completed('error')]);
    expect(isTerminalAgUiEvent(failed[1]!.event)).toBe(true);
  });
});
