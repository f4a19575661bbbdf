/**
 * The `llm` agent against a {@link startFakeOpenAiServer} fake, for the agent's unit tests: each
 * call starts a fake with its script and makes an agent that talks to it; every fake a test
 * started is closed after it.
 */
import type { Agent } from '@app/ws-core';
import { afterEach } from 'vitest';
import { createLlmAgent, type LlmAgentOptions } from '../../src/agents/llm-agent.js';
import {
  startFakeOpenAiServer,
  type FakeOpenAiServer,
  type FakeReply,
  type RecordedRequest,
} from './fake-openai-server.js';

/** Starts a fake answering with `script`, and an agent on it (`options` over the defaults). */
export type FakeLlmStarter = (
  script: (request: RecordedRequest, index: number) => FakeReply,
  options?: Partial<LlmAgentOptions>,
) => Promise<{ agent: Agent; fake: FakeOpenAiServer }>;

/**
 * Registers the `afterEach` that closes the fakes and returns the starter. The agent's defaults
 * here: API key `test-key`, model `fake-model`, and the agent's own `maxRetries` (2).
 */
export function useFakeLlm(): FakeLlmStarter {
  const started: FakeOpenAiServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });
  return async (script, options = {}) => {
    const fake = await startFakeOpenAiServer(script);
    started.push(fake);
    const agent = createLlmAgent({
      baseUrl: fake.baseUrl,
      apiKey: 'test-key',
      model: 'fake-model',
      ...options,
    });
    return { agent, fake };
  };
}
