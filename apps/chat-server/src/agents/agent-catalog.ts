import type { Agent } from '@app/ws-core';
import type { ChatServerConfig } from '../config.js';
import { createAssistantAgent, type AssistantAgentOptions } from './assistant-agent.js';
import { createLlmAgent, type LlmAgentOptions } from './llm-agent.js';

/** Adjustments of the agents a server registers (tests shorten timings and retries). */
export interface AgentCatalogOptions {
  assistant?: AssistantAgentOptions;
  llm?: Partial<Pick<LlmAgentOptions, 'maxRetries' | 'timeoutMs' | 'maxToolRounds'>>;
}

/**
 * The agents a server registers: always the demo `assistant`, plus `llm` when
 * `LLM_BASE_URL`, `LLM_API_KEY` and `LLM_MODEL` are set.
 */
export function createAgentCatalog(
  config: Pick<ChatServerConfig, 'llm'>,
  options: AgentCatalogOptions = {},
): Agent[] {
  const agents = [createAssistantAgent(options.assistant)];
  if (config.llm) agents.push(createLlmAgent({ ...config.llm, ...options.llm }));
  return agents;
}
