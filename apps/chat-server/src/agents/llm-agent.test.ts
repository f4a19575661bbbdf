import { describe, expect, it } from 'vitest';
import {
  contentChunks,
  toolCallChunks,
  type FakeOpenAiServer,
  type FakeReply,
  type RecordedRequest,
} from '../../test/support/fake-openai-server.js';
import { useFakeLlm } from '../../test/support/fake-llm.js';
import { createRecordingContext, deltaText } from '../../test/support/recording-emitter.js';

const startFakeLlm = useFakeLlm();
let fake: FakeOpenAiServer | undefined;

async function agentAgainst(script: (request: RecordedRequest, index: number) => FakeReply) {
  const started = await startFakeLlm(script, { maxRetries: 0 });
  fake = started.fake;
  return started.agent;
}

describe('llm agent', () => {
  it('streams the model content as deltas', async () => {
    const agent = await agentAgainst(() => ({
      kind: 'stream',
      chunks: contentChunks(['Hel', 'lo ', 'there.']),
    }));
    const { ctx, events } = createRecordingContext('hi');
    const result = await agent.run(ctx);
    expect(result).toEqual({ response: 'Hello there.' });
    expect(events[0]).toEqual({ type: 'agent_thinking', text: 'Asking fake-model…' });
    expect(events.filter((event) => event.type === 'agent_response_delta')).toHaveLength(3);
    expect(deltaText(events)).toBe('Hello there.');

    const [request] = fake!.requests;
    expect(request?.authorization).toBe('Bearer test-key');
    expect(request?.body).toMatchObject({ model: 'fake-model', stream: true });
    expect(request?.body.messages.at(-1)).toEqual({ role: 'user', content: 'hi' });
    expect(request?.body.tools?.map((tool) => tool.function.name)).toEqual(['calculator', 'clock']);
  });

  it('runs a tool call and sends its result back for a follow-up completion', async () => {
    const agent = await agentAgainst((_request, index) =>
      index === 0
        ? {
            kind: 'stream',
            chunks: toolCallChunks('call_1', 'calculator', ['{"expre', 'ssion":"12*(3+4)"}']),
          }
        : { kind: 'stream', chunks: contentChunks(['The answer is ', '84.']) },
    );
    const { ctx, events } = createRecordingContext('what is 12*(3+4)?');
    const result = await agent.run(ctx);

    expect(events.filter((event) => event.type.startsWith('tool_'))).toEqual([
      {
        type: 'tool_executing',
        toolCallId: 'call_1',
        toolName: 'calculator',
        args: { expression: '12*(3+4)' },
      },
      { type: 'tool_completed', toolCallId: 'call_1', ok: true, result: 84 },
    ]);
    expect(result).toEqual({ response: 'The answer is 84.' });
    expect(fake!.requests).toHaveLength(2);
    const followUp = fake!.requests[1]!.body.messages;
    expect(followUp.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'calculator', arguments: '{"expression":"12*(3+4)"}' },
        },
      ],
    });
    expect(followUp.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: '{"ok":true,"result":84}',
    });
  });

  it('reports an unknown tool and unreadable arguments as failed calls', async () => {
    const agent = await agentAgainst((_request, index) => {
      if (index === 0)
        return { kind: 'stream', chunks: toolCallChunks('call_a', 'weather', ['{}']) };
      if (index === 1)
        return { kind: 'stream', chunks: toolCallChunks('call_b', 'calculator', ['not json']) };
      return { kind: 'stream', chunks: contentChunks(['Sorry.']) };
    });
    const { ctx, events } = createRecordingContext('weather?');
    await agent.run(ctx);
    const completed = events.filter((event) => event.type === 'tool_completed');
    expect(completed).toEqual([
      {
        type: 'tool_completed',
        toolCallId: 'call_a',
        ok: false,
        error: { code: 'unknown_tool', message: 'There is no tool named "weather"' },
      },
      expect.objectContaining({
        toolCallId: 'call_b',
        ok: false,
        error: expect.objectContaining({ code: 'invalid_arguments' }),
      }),
    ]);
  });

  it('throws when the API answers with an error', async () => {
    const agent = await agentAgainst(() => ({
      kind: 'error',
      status: 500,
      message: 'model overloaded',
    }));
    const { ctx } = createRecordingContext('hi');
    await expect(agent.run(ctx)).rejects.toMatchObject({
      code: 'LLM_REQUEST_FAILED',
      message: expect.stringMatching(/model overloaded/),
    });
  });

  it('gives up when the model keeps calling tools', async () => {
    const { agent, fake: looping } = await startFakeLlm(
      () => ({ kind: 'stream', chunks: toolCallChunks('call_x', 'clock', ['{}']) }),
      { maxRetries: 0, maxToolRounds: 2 },
    );
    const { ctx } = createRecordingContext('loop');
    await expect(agent.run(ctx)).rejects.toThrow(/after 2 rounds/);
    expect(looping.requests).toHaveLength(3);
  });
});
