import type { ChatEvent, EventPayloads, EventType } from '@app/ws-protocol';
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { toUIMessageChunks, UIMessageChunkTranslator } from './chunk-translator';

const RUN = 'r_test';
let seq = 0;

function ev<T extends EventType>(type: T, payload: EventPayloads[T]): ChatEvent {
  return {
    type,
    seq: ++seq,
    runId: RUN,
    threadId: 't_1',
    ts: '2026-12-02T00:00:00.000Z',
    payload,
  } as ChatEvent;
}

const started = (): ChatEvent => ev('agent_started', { agentName: 'assistant', input: 'hi' });
const thinking = (text: string): ChatEvent => ev('agent_thinking', { text });
const delta = (text: string): ChatEvent => ev('agent_response_delta', { delta: text });
const completed = (payload: EventPayloads['agent_completed']): ChatEvent =>
  ev('agent_completed', payload);

function chunksOf(events: ChatEvent[]): UIMessageChunk[] {
  const sequenced = toUIMessageChunks(events);
  expect(sequenced.map((c) => c.sequence)).toEqual(sequenced.map((_, i) => i));
  return sequenced.map((c) => c.chunk);
}

async function messageOf(chunks: UIMessageChunk[]): Promise<UIMessage | undefined> {
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream })) last = message;
  return last;
}

describe('UIMessageChunkTranslator: each event of the mapping table', () => {
  it('user_message → nothing', () => {
    expect(chunksOf([ev('user_message', { messageId: 'm_1', text: 'hi' })])).toEqual([]);
  });

  it('agent_started → start (messageId = run id), start-step', () => {
    expect(chunksOf([started()])).toEqual([
      { type: 'start', messageId: RUN },
      { type: 'start-step' },
    ]);
  });

  it('agent_thinking → reasoning-start, -delta, -end: one part each, with distinct ids', () => {
    expect(chunksOf([thinking('one'), thinking('two')])).toEqual([
      { type: 'reasoning-start', id: 'reasoning-1' },
      { type: 'reasoning-delta', id: 'reasoning-1', delta: 'one' },
      { type: 'reasoning-end', id: 'reasoning-1' },
      { type: 'reasoning-start', id: 'reasoning-2' },
      { type: 'reasoning-delta', id: 'reasoning-2', delta: 'two' },
      { type: 'reasoning-end', id: 'reasoning-2' },
    ]);
  });

  it('tool_executing → tool-input-available with the args as input', () => {
    const args = { expression: '12*(3+4)' };
    expect(
      chunksOf([ev('tool_executing', { toolCallId: 'c1', toolName: 'calculator', args })]),
    ).toEqual([
      { type: 'tool-input-available', toolCallId: 'c1', toolName: 'calculator', input: args },
    ]);
  });

  it('tool_completed ok → tool-output-available with the result as output', () => {
    expect(
      chunksOf([
        ev('tool_completed', {
          toolCallId: 'c1',
          toolName: 'calculator',
          ok: true,
          result: 84,
          durationMs: 3,
        }),
      ]),
    ).toEqual([{ type: 'tool-output-available', toolCallId: 'c1', output: 84 }]);
  });

  it('tool_completed failed → tool-output-error naming the code', () => {
    expect(
      chunksOf([
        ev('tool_completed', {
          toolCallId: 'c1',
          toolName: 'clock',
          ok: false,
          error: { code: 'tool_failed', message: 'it broke' },
          durationMs: 3,
        }),
      ]),
    ).toEqual([
      { type: 'tool-output-error', toolCallId: 'c1', errorText: 'tool_failed: it broke' },
    ]);
  });

  it('agent_response_delta → text-start before the first, then text-delta', () => {
    expect(chunksOf([delta('a '), delta('b')])).toEqual([
      { type: 'text-start', id: 'text-1' },
      { type: 'text-delta', id: 'text-1', delta: 'a ' },
      { type: 'text-delta', id: 'text-1', delta: 'b' },
    ]);
  });

  it('agent_completed success with an open text part → text-end, finish-step, finish', () => {
    const chunks = chunksOf([
      delta('a'),
      completed({ status: 'success', response: 'a', durationMs: 1 }),
    ]);
    expect(chunks.slice(2)).toEqual([
      { type: 'text-end', id: 'text-1' },
      { type: 'finish-step' },
      { type: 'finish' },
    ]);
  });

  it('agent_completed success without text → finish-step, finish', () => {
    expect(chunksOf([completed({ status: 'success', durationMs: 1 })])).toEqual([
      { type: 'finish-step' },
      { type: 'finish' },
    ]);
  });

  it('agent_completed success with a response but no delta → the response as one text part', () => {
    expect(
      chunksOf([completed({ status: 'success', response: 'all at once', durationMs: 1 })]),
    ).toEqual([
      { type: 'text-start', id: 'text-1' },
      { type: 'text-delta', id: 'text-1', delta: 'all at once' },
      { type: 'text-end', id: 'text-1' },
      { type: 'finish-step' },
      { type: 'finish' },
    ]);
  });

  it('agent_completed cancelled → abort', () => {
    expect(
      chunksOf([delta('a'), completed({ status: 'cancelled', durationMs: 1 })]).slice(2),
    ).toEqual([{ type: 'abort' }]);
  });

  it.each([
    ['error', 'agent_error', 'The assistant crashed'],
    ['timeout', 'stall_timeout', 'silent for 30 s'],
    ['error', 'node_lost', 'the node running it was lost'],
    ['error', 'run_too_large', 'too many events'],
  ] as const)('agent_completed %s (%s) → error naming the code', (status, code, message) => {
    expect(chunksOf([completed({ status, error: { code, message }, durationMs: 1 })])).toEqual([
      { type: 'error', errorText: `${code}: ${message}` },
    ]);
  });

  it('agent_completed error without an error object → error naming the status', () => {
    expect(chunksOf([completed({ status: 'timeout', durationMs: 1 })])).toEqual([
      { type: 'error', errorText: 'timeout' },
    ]);
  });
});

describe('UIMessageChunkTranslator: a run as a whole', () => {
  const calculatorRun = (): ChatEvent[] => [
    ev('user_message', { messageId: 'm_1', text: 'what is 12*(3+4)?' }),
    started(),
    thinking('Reading your message…'),
    thinking('Using the calculator tool.'),
    ev('tool_executing', {
      toolCallId: 'c1',
      toolName: 'calculator',
      args: { expression: '12*(3+4)' },
    }),
    ev('tool_completed', {
      toolCallId: 'c1',
      toolName: 'calculator',
      ok: true,
      result: 84,
      durationMs: 1,
    }),
    delta('12*(3+4) = '),
    delta('84.'),
    completed({ status: 'success', response: '12*(3+4) = 84.', durationMs: 9 }),
  ];

  it('numbers the chunks from 0 without a gap, and pushes the same numbers one event at a time', () => {
    const events = calculatorRun();
    const whole = toUIMessageChunks(events);
    const translator = new UIMessageChunkTranslator();
    const incremental = events.flatMap((event) => translator.push(event));
    expect(incremental).toEqual(whole);
    expect(translator.count).toBe(whole.length);
    expect(translator.ended).toBe(true);
    expect(whole).toHaveLength(16);
  });

  it('translates nothing after the terminal event', () => {
    const translator = new UIMessageChunkTranslator();
    translator.push(completed({ status: 'cancelled', durationMs: 1 }));
    expect(translator.push(delta('late'))).toEqual([]);
    expect(translator.count).toBe(1);
  });

  it('makes a UIMessage the AI SDK reads: reasoning, a tool part with output 84, then the text', async () => {
    const message = await messageOf(toUIMessageChunks(calculatorRun()).map((c) => c.chunk));
    expect(message).toMatchObject({ id: RUN, role: 'assistant' });
    // toMatchObject: the same parts in the same order; the SDK adds fields left undefined.
    expect(message!.parts).toMatchObject([
      { type: 'step-start' },
      { type: 'reasoning', text: 'Reading your message…', state: 'done' },
      { type: 'reasoning', text: 'Using the calculator tool.', state: 'done' },
      {
        type: 'tool-calculator',
        toolCallId: 'c1',
        state: 'output-available',
        input: { expression: '12*(3+4)' },
        output: 84,
      },
      { type: 'text', text: '12*(3+4) = 84.', state: 'done' },
    ]);
  });

  it('a tool failure reads as a tool part in state output-error', async () => {
    const message = await messageOf(
      toUIMessageChunks([
        started(),
        ev('tool_executing', { toolCallId: 'c9', toolName: 'clock', args: {} }),
        ev('tool_completed', {
          toolCallId: 'c9',
          toolName: 'clock',
          ok: false,
          error: { code: 'tool_failed', message: 'on purpose' },
          durationMs: 1,
        }),
        completed({ status: 'success', durationMs: 1 }),
      ]).map((c) => c.chunk),
    );
    expect(message!.parts[1]).toMatchObject({
      type: 'tool-clock',
      state: 'output-error',
      errorText: 'tool_failed: on purpose',
    });
  });
});
