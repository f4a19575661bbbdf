/**
 * The retries of the `llm` agent's model client (the `openai` SDK under `maxRetries`, default 2)
 * against the fake API: which failures are retried, how many times, and that a retried request
 * emits its answer once.
 */
import { describe, expect, it } from 'vitest';
import {
  contentChunks,
  type FakeOpenAiServer,
  type FakeReply,
} from '../../test/support/fake-openai-server.js';
import { useFakeLlm } from '../../test/support/fake-llm.js';
import { createRecordingContext, deltaText } from '../../test/support/recording-emitter.js';
import type { LlmAgentOptions } from './llm-agent.js';

const startFakeLlm = useFakeLlm();
let fake: FakeOpenAiServer | undefined;

async function agentAgainst(
  script: (index: number) => FakeReply,
  options: Partial<LlmAgentOptions> = {},
) {
  const started = await startFakeLlm((_request, index) => script(index), options);
  fake = started.fake;
  return started.agent;
}

/** A refusal that asks for a retry after 5 ms, so that the tests need not wait the backoff. */
const refusal = (status: number, message = `status ${status}`): FakeReply => ({
  kind: 'error',
  status,
  message,
  headers: { 'retry-after-ms': '5' },
});

const answer: FakeReply = { kind: 'stream', chunks: contentChunks(['Fine, ', 'thanks.']) };

describe('llm agent retries', () => {
  it('retries refused requests (5xx, 429) twice by default and emits the answer once', async () => {
    const agent = await agentAgainst((index) => [refusal(503), refusal(429), answer][index]!);
    const { ctx, events } = createRecordingContext('how are you?');
    expect(await agent.run(ctx)).toEqual({ response: 'Fine, thanks.' });
    expect(fake!.requests).toHaveLength(3);
    expect(fake!.requests.map((request) => request.body)).toEqual(
      Array.from({ length: 3 }, () => fake!.requests[0]!.body),
    );
    expect(deltaText(events)).toBe('Fine, thanks.');
    expect(events.filter((event) => event.type === 'agent_thinking')).toHaveLength(1);
  });

  it('fails with the last error once the retries are used up', async () => {
    const agent = await agentAgainst((index) => refusal(500, `overloaded ${index}`));
    const { ctx, events } = createRecordingContext('hi');
    await expect(agent.run(ctx)).rejects.toMatchObject({
      code: 'LLM_REQUEST_FAILED',
      message: expect.stringMatching(/overloaded 2/),
    });
    expect(fake!.requests).toHaveLength(3);
    expect(deltaText(events)).toBe('');
  });

  it('honours maxRetries, 0 turning retries off', async () => {
    const once = await agentAgainst(() => refusal(503), { maxRetries: 0 });
    await expect(once.run(createRecordingContext('hi').ctx)).rejects.toMatchObject({
      code: 'LLM_REQUEST_FAILED',
    });
    expect(fake!.requests).toHaveLength(1);

    const five = await agentAgainst((index) => (index < 5 ? refusal(502) : answer), {
      maxRetries: 5,
    });
    expect(await five.run(createRecordingContext('hi').ctx)).toEqual({ response: 'Fine, thanks.' });
    expect(fake!.requests).toHaveLength(6);
  });

  it('retries a connection that failed before any answer, after the default backoff', async () => {
    // No retry-after header here: the SDK waits its own backoff (at most 0.5 s before try 2).
    const agent = await agentAgainst((index) => (index === 0 ? { kind: 'drop' } : answer), {
      maxRetries: 1,
    });
    const { ctx } = createRecordingContext('hi');
    expect(await agent.run(ctx)).toEqual({ response: 'Fine, thanks.' });
    expect(fake!.requests).toHaveLength(2);
    expect(await fake!.requests[0]!.outcome).toBe('aborted');
  });

  it('does not retry a request the API refused as invalid (400, 401, 404)', async () => {
    for (const status of [400, 401, 404]) {
      const agent = await agentAgainst(() => refusal(status, `refused with ${status}`));
      await expect(agent.run(createRecordingContext('hi').ctx)).rejects.toMatchObject({
        code: 'LLM_REQUEST_FAILED',
        message: expect.stringMatching(`refused with ${status}`),
      });
      expect(fake!.requests, `status ${status}`).toHaveLength(1);
    }
  });

  it('never retries a stream that broke off midway (its deltas were already emitted)', async () => {
    const agent = await agentAgainst(() => ({
      kind: 'stream',
      chunks: contentChunks(['Partial ', 'answer ', 'never finished']),
      destroyAfter: 3,
    }));
    const { ctx, events } = createRecordingContext('hi');
    await expect(agent.run(ctx)).rejects.toThrow(/^The model request failed: /);
    expect(fake!.requests).toHaveLength(1);
    expect(deltaText(events)).toBe('Partial answer ');
  });
});
