import type { ToolCompletedPayload } from '@app/ws-protocol';
import type { RunToolSummary } from './run-hooks';

/** A tool call of a run that has not completed yet. */
export interface OpenTool {
  readonly toolName: string;
  readonly args: Record<string, unknown>;
  readonly startedAt: number;
}

/**
 * What a run said so far, kept by its supervisor for the terminal event and the
 * `beforeRunCompleted` hook: the tool calls in progress, the completed ones, and the streamed
 * response while it still fits one event. @internal
 */
export class RunTranscript {
  readonly #open = new Map<string, OpenTool>();
  readonly #tools: RunToolSummary[] = [];
  readonly #maxResponseLength: number;
  /** The deltas so far; undefined once they outgrew what one event can carry. */
  #response: string | undefined = '';

  /**
   * @param maxResponseLength Deltas are kept for the final response only up to this many
   *   UTF-16 units (maxEventBytes: more could never fit in agent_completed), so a long
   *   streaming run does not hold its whole text.
   */
  constructor(maxResponseLength: number) {
    this.#maxResponseLength = maxResponseLength;
  }

  /** Completed tool calls so far, in order, for `beforeRunCompleted`. */
  get tools(): readonly RunToolSummary[] {
    return this.#tools;
  }

  /** The concatenated deltas (the response of an agent that returns none), if not too long. */
  get streamedResponse(): string | undefined {
    return this.#response;
  }

  /** The tool call `toolCallId` while it runs. */
  openTool(toolCallId: string): OpenTool | undefined {
    return this.#open.get(toolCallId);
  }

  /** A `tool_executing` was appended. */
  toolStarted(toolCallId: string, toolName: string, args: Record<string, unknown>): void {
    this.#open.set(toolCallId, { toolName, args, startedAt: Date.now() });
  }

  /** The `tool_completed` of an open tool call was appended (its payload). */
  toolCompleted(toolCallId: string, open: OpenTool, completed: ToolCompletedPayload): void {
    this.#open.delete(toolCallId);
    const { ok, result, error, durationMs } = completed;
    this.#tools.push({
      toolCallId,
      toolName: open.toolName,
      args: open.args,
      ok,
      ...(result !== undefined ? { result } : {}),
      ...(error !== undefined ? { error } : {}),
      durationMs,
    });
  }

  /** An `agent_response_delta` was appended. */
  delta(text: string): void {
    if (this.#response === undefined) return;
    const response = this.#response + text;
    this.#response = response.length > this.#maxResponseLength ? undefined : response;
  }
}
