import { HttpAgent } from '@ag-ui/client';
import type { EventPayloads, UnsequencedEvent } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { translateRunEvents } from './run-translator';
import { SSE_KEEP_ALIVE, sseEventFrame } from './sse-frame';

// The real @ag-ui/client reads the translation as it would read this server's response: its
// SSE parser, its event verification (every *_START closed, nothing after the terminal event)
// and its message building. The server end to end is apps/chat-server/test/ag-ui.test.ts.

const TS = '2026-12-02T10:00:00.000Z';

function ev<K extends keyof EventPayloads>(type: K, payload: EventPayloads[K]): UnsequencedEvent {
  return { type, runId: 'r_v', threadId: 't_v', ts: TS, payload } as UnsequencedEvent;
}

function agentFor(events: UnsequencedEvent[]): HttpAgent {
  const body = SSE_KEEP_ALIVE + translateRunEvents(events).map(sseEventFrame).join(SSE_KEEP_ALIVE);
  return new HttpAgent({
    url: 'http://ag-ui.invalid/ag-ui',
    threadId: 't_v',
    fetch: () =>
      Promise.resolve(
        new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
      ),
  });
}

const calculatorRun = [
  ev('user_message', { messageId: 'm_v', text: 'what is 12*(3+4)?' }),
  ev('agent_started', { agentName: 'assistant', input: 'what is 12*(3+4)?' }),
  ev('agent_thinking', { text: 'An expression: calculator' }),
  ev('tool_executing', {
    toolCallId: 'tc_v',
    toolName: 'calculator',
    args: { expression: '12*(3+4)' },
  }),
  ev('tool_completed', {
    toolCallId: 'tc_v',
    toolName: 'calculator',
    ok: true,
    result: 84,
    durationMs: 1,
  }),
  ev('agent_response_delta', { delta: '12*(3+4) = ' }),
  ev('agent_response_delta', { delta: '84' }),
];

describe('the translation read by @ag-ui/client HttpAgent', () => {
  it('passes verification and builds the tool call, its result and the answer', async () => {
    const agent = agentFor([
      ...calculatorRun,
      ev('agent_completed', { status: 'success', response: '12*(3+4) = 84', durationMs: 3 }),
    ]);
    agent.addMessage({ id: 'u1', role: 'user', content: 'what is 12*(3+4)?' });
    const { newMessages } = await agent.runAgent();
    const assistant = newMessages.filter((m) => m.role === 'assistant');
    expect(assistant.some((m) => m.toolCalls?.[0]?.function.name === 'calculator')).toBe(true);
    expect(assistant.some((m) => typeof m.content === 'string' && m.content.includes('84'))).toBe(
      true,
    );
    const tool = newMessages.find((m) => m.role === 'tool');
    expect(tool).toMatchObject({ toolCallId: 'tc_v', content: '84' });
  });

  it('passes verification for a cancelled run', async () => {
    const agent = agentFor([
      ...calculatorRun,
      ev('agent_completed', { status: 'cancelled', durationMs: 3 }),
    ]);
    await expect(agent.runAgent()).resolves.toBeDefined();
  });

  it('reports a failed run as the run error, having verified what came before it', async () => {
    const agent = agentFor([
      ...calculatorRun,
      ev('agent_completed', {
        status: 'error',
        error: { code: 'node_lost', message: 'The node running this run was lost' },
        durationMs: 3,
      }),
    ]);
    const errors: { message: string; code?: string }[] = [];
    await agent
      .runAgent(undefined, {
        onRunErrorEvent: ({ event }) => {
          errors.push({ message: event.message, code: event.code });
        },
      })
      .catch(() => undefined);
    expect(errors).toEqual([{ message: 'The node running this run was lost', code: 'node_lost' }]);
  });
});
