/**
 * A cancelled `llm` run stops its upstream request: the run's signal aborts the HTTP request to
 * the model API, which the fake API sees as a connection closed before its answer ended.
 */
import { describe, expect, it, vi } from 'vitest';
import { contentChunks, toolCallChunks } from '../../test/support/fake-openai-server.js';
import { useFakeLlm } from '../../test/support/fake-llm.js';
import { createRecordingContext, deltaText } from '../../test/support/recording-emitter.js';

const startFakeLlm = useFakeLlm();
/** Retries off: a cancel, not a retry, is what these tests look at (but the last one). */
const NO_RETRIES = { maxRetries: 0 };

/** The content chunks of `pieces` without the closing `stop` chunk: the stream goes on. */
const unfinished = (pieces: string[]): object[] => contentChunks(pieces).slice(0, -1);

describe('cancelling an llm run', () => {
  it('aborts the upstream request in the middle of its stream', async () => {
    const { agent, fake } = await startFakeLlm(
      () => ({ kind: 'hang', chunks: unfinished(['Let me ', 'think']) }),
      NO_RETRIES,
    );
    const { ctx, events, abort } = createRecordingContext('hi');
    const run = agent.run(ctx);
    await vi.waitFor(() => expect(deltaText(events)).toBe('Let me think'), { timeout: 10_000 });
    expect(fake.requests).toHaveLength(1);

    abort();
    // The run's abort reason, not a truncated answer passed off as a whole one.
    await expect(run).rejects.toThrow('cancelled');
    expect(await fake.requests[0]!.outcome).toBe('aborted');
    expect(fake.requests).toHaveLength(1);
  });

  it('runs none of the tool calls a cut-off turn had begun to stream', async () => {
    const { agent, fake } = await startFakeLlm(
      () => ({
        kind: 'hang',
        chunks: [
          ...unfinished(['Let me compute. ']),
          ...toolCallChunks('call_1', 'calculator', ['{"expression":"1+1"}']).slice(0, -1),
        ],
      }),
      NO_RETRIES,
    );
    const { ctx, events, abort } = createRecordingContext('what is 1+1?');
    const run = agent.run(ctx);
    await vi.waitFor(() => expect(deltaText(events)).toBe('Let me compute. '), {
      timeout: 10_000,
    });
    abort();
    await expect(run).rejects.toThrow('cancelled');
    expect(await fake.requests[0]!.outcome).toBe('aborted');
    expect(events.map((event) => event.type)).toEqual(['agent_thinking', 'agent_response_delta']);
    expect(fake.requests).toHaveLength(1);
  });

  it('aborts a request the API has not answered yet', async () => {
    const { agent, fake } = await startFakeLlm(() => ({ kind: 'stall' }), NO_RETRIES);
    const { ctx, events, abort } = createRecordingContext('hi');
    const run = agent.run(ctx);
    const request = await fake.whenRequested(0);
    abort();
    await expect(run).rejects.toThrow();
    expect(await request.outcome).toBe('aborted');
    expect(events.filter((event) => event.type === 'agent_response_delta')).toEqual([]);
  });

  it('sends no retry once the run is cancelled during the backoff', async () => {
    const { agent, fake } = await startFakeLlm(
      () => ({
        kind: 'error',
        status: 503,
        message: 'busy',
        headers: { 'retry-after-ms': '300' },
      }),
      { maxRetries: 2 },
    );
    const { ctx, abort } = createRecordingContext('hi');
    const run = agent.run(ctx);
    await fake.whenRequested(0);
    abort();
    // The SDK's backoff sleep cannot be interrupted; it checks the signal before the next try.
    await expect(run).rejects.toThrow();
    expect(fake.requests).toHaveLength(1);
  });
});
