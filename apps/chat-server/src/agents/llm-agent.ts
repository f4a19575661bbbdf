import type { Agent, AgentContext } from '@app/ws-core';
import { AppError } from '@app/ws-protocol';
import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { codes } from '../error-codes.js';
import { calculatorTool } from './calculator-tool.js';
import { createClockTool } from './clock-tool.js';
import type { Tool, ToolOutcome } from './tool.js';
import { callTool } from './tool-call.js';

/** Options of {@link createLlmAgent}. */
export interface LlmAgentOptions {
  /** The OpenAI-compatible API, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Tools offered for function calling. Default: `calculator` and `clock`. */
  tools?: Tool[];
  /** Model turns that may call tools before the run fails. Default 4. */
  maxToolRounds?: number;
  /** Retries of a failed request (never of a stream that failed midway). Default 2. */
  maxRetries?: number;
  /** Per-request timeout in milliseconds. Default 60000. */
  timeoutMs?: number;
}

const SYSTEM_PROMPT =
  'You are a helpful assistant in a chat application. Use the calculator tool for arithmetic and ' +
  'the clock tool for the current date or time. Answer briefly.';

/** A tool call as the model streamed it. */
interface StreamedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * The agent `llm`: a model behind an OpenAI-compatible Chat Completions API (the official
 * `openai` SDK, `stream: true`). Content deltas become `agent_response_delta`; the model's tool
 * calls run the same tools as the demo agent (`tool_executing`/`tool_completed`) and their
 * results go back to the model for a follow-up completion. A request or stream that fails makes
 * the agent throw, so the run ends with status `error`; the run's signal aborts the request.
 */
export function createLlmAgent(options: LlmAgentOptions): Agent {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
  });
  const tools = options.tools ?? [calculatorTool, createClockTool()];
  const toolsByName = new Map(tools.map((tool) => [tool.name, tool]));
  const toolDefinitions: ChatCompletionFunctionTool[] = tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: { ...tool.parameters },
    },
  }));
  const maxToolRounds = options.maxToolRounds ?? 4;

  return {
    name: 'llm',
    description: `LLM-backed agent (${options.model}) with the calculator and clock tools.`,
    async run(ctx: AgentContext): Promise<{ response: string }> {
      const { emitter, signal } = ctx;
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: ctx.input },
      ];
      await emitter.thinking(`Asking ${options.model}…`);
      let response = '';
      for (let round = 0; ; round += 1) {
        const turn = await requestTurn(
          () =>
            client.chat.completions.create(
              {
                model: options.model,
                messages,
                stream: true,
                ...(tools.length > 0 ? { tools: toolDefinitions } : {}),
              },
              { signal },
            ),
          ctx,
          response === '' ? '' : '\n\n',
        );
        response += turn.content;
        if (turn.toolCalls.length === 0) return { response };
        if (round >= maxToolRounds) {
          throw new Error(`The model still called tools after ${maxToolRounds} rounds`);
        }
        ctx.logger.debug('llm tool round', { round, toolCalls: turn.toolCalls.length });
        messages.push({
          role: 'assistant',
          content: turn.content === '' ? null : turn.content,
          tool_calls: turn.toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        });
        for (const call of turn.toolCalls) {
          const outcome = await runToolCall(ctx, toolsByName, call);
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(outcome) });
        }
        await emitter.thinking('Sending the tool results back to the model.');
      }
    },
  };
}

/** The model API failed: the request was refused, or its stream broke off. */
class LlmRequestError extends AppError<typeof codes.LLM_REQUEST_FAILED> {
  constructor(message: string, options: { cause: unknown }) {
    super(codes.LLM_REQUEST_FAILED, message, options);
    this.name = 'LlmRequestError';
  }
}

/** One model turn; failures (except the run's own abort) become an {@link LlmRequestError}. */
async function requestTurn(
  request: () => Promise<AsyncIterable<ChatCompletionChunk>>,
  ctx: AgentContext,
  separator: string,
): Promise<{ content: string; toolCalls: StreamedToolCall[] }> {
  try {
    const turn = await readTurn(await request(), ctx, separator);
    // The SDK ends an aborted stream quietly, as if the model had finished: a cut-off turn
    // must not pass for a whole answer (nor run the tool calls it has half streamed).
    ctx.signal.throwIfAborted();
    return turn;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LlmRequestError(`The model request failed: ${reason}`, { cause: error });
  }
}

/** Reads one streamed completion: emits its content as deltas, collects its tool calls. */
async function readTurn(
  stream: AsyncIterable<ChatCompletionChunk>,
  ctx: AgentContext,
  separator: string,
): Promise<{ content: string; toolCalls: StreamedToolCall[] }> {
  let content = '';
  const toolCalls: StreamedToolCall[] = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    if (delta.content) {
      const text = content === '' ? separator + delta.content : delta.content;
      content += text;
      await ctx.emitter.delta(text);
    }
    for (const part of delta.tool_calls ?? []) {
      const call = (toolCalls[part.index] ??= { id: '', name: '', arguments: '' });
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
    }
  }
  const present = toolCalls.filter((call): call is StreamedToolCall => call !== undefined);
  return {
    content,
    toolCalls: present.map((call, index) => ({ ...call, id: call.id || `call_${index}` })),
  };
}

async function runToolCall(
  ctx: AgentContext,
  toolsByName: ReadonlyMap<string, Tool>,
  call: StreamedToolCall,
): Promise<ToolOutcome> {
  const args = parseArguments(call.arguments);
  const tool = toolsByName.get(call.name) ?? unknownTool(call.name || 'unnamed');
  const failure =
    args === undefined
      ? {
          code: 'invalid_arguments',
          message: `The model sent arguments that are not a JSON object for ${call.name}`,
        }
      : undefined;
  return callTool(ctx.emitter, tool, args ?? {}, {
    toolCallId: call.id,
    ...(failure ? { failure } : {}),
  });
}

function parseArguments(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A model may name a tool it was never offered; the call fails like any tool would. */
function unknownTool(name: string): Tool {
  return {
    name,
    description: 'not a tool of this agent',
    parameters: {},
    execute: () => ({
      ok: false,
      error: { code: 'unknown_tool', message: `There is no tool named "${name}"` },
    }),
  };
}
