import type { RunEmitter } from '@app/ws-core';
import type { Tool, ToolFailure, ToolOutcome } from './tool.js';

/** Options of {@link callTool}. */
export interface CallToolOptions {
  /** Reported instead of running the tool: the demo agent's `fail tool`. */
  failure?: ToolFailure;
  /** The id the model gave the call (LLM function calling); default: the emitter makes one. */
  toolCallId?: string;
}

/**
 * Runs one tool call on a run: `tool_executing` with the arguments, the tool, then
 * `tool_completed` with its outcome (a thrown error becomes `ok: false`, code `tool_error`).
 *
 * @returns the outcome, for the agent to explain or to send back to a model
 */
export async function callTool(
  emitter: RunEmitter,
  tool: Tool,
  args: Record<string, unknown>,
  options: CallToolOptions = {},
): Promise<ToolOutcome> {
  const toolCallId = await emitter.toolExecuting({
    toolName: tool.name,
    args,
    ...(options.toolCallId === undefined ? {} : { toolCallId: options.toolCallId }),
  });
  const outcome = options.failure
    ? { ok: false as const, error: options.failure }
    : await runTool(tool, args);
  await emitter.toolCompleted(
    outcome.ok
      ? { toolCallId, ok: true, result: outcome.result }
      : { toolCallId, ok: false, error: outcome.error },
  );
  return outcome;
}

async function runTool(tool: Tool, args: Record<string, unknown>): Promise<ToolOutcome> {
  try {
    return await tool.execute(args);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'tool_error', message: `${tool.name} failed: ${message}` } };
  }
}
