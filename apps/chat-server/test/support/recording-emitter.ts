/**
 * A test double of ws-core's run emitter and agent context: records what an agent emits,
 * in order, so an agent can be tested without a hub. Integration tests use the real hub.
 */
import { createLogger } from '@app/logging-ssot';
import type { AgentContext, RunEmitter } from '@app/ws-core';

/** One recorded emitter call. */
export type RecordedEvent =
  | { type: 'agent_thinking'; text: string }
  | { type: 'tool_executing'; toolCallId: string; toolName: string; args: Record<string, unknown> }
  | {
      type: 'tool_completed';
      toolCallId: string;
      ok: boolean;
      result?: unknown;
      error?: { code: string; message: string };
    }
  | { type: 'agent_response_delta'; delta: string };

/** An agent context whose emitter records into `events`; `abort()` aborts its signal. */
export interface RecordingContext {
  ctx: AgentContext;
  events: RecordedEvent[];
  abort(): void;
}

/** Makes a {@link RecordingContext} for `input`. */
export function createRecordingContext(input: string): RecordingContext {
  const events: RecordedEvent[] = [];
  const controller = new AbortController();
  let nextToolCall = 1;
  const emitter = {
    runId: 'r_test',
    threadId: 't_test',
    signal: controller.signal,
    thinking: async (text: string) => {
      events.push({ type: 'agent_thinking', text });
    },
    toolExecuting: async (input: {
      toolName: string;
      args: Record<string, unknown>;
      toolCallId?: string;
    }) => {
      const toolCallId = input.toolCallId ?? `tc_${nextToolCall++}`;
      events.push({
        type: 'tool_executing',
        toolCallId,
        toolName: input.toolName,
        args: input.args,
      });
      return toolCallId;
    },
    toolCompleted: async (input: {
      toolCallId: string;
      ok: boolean;
      result?: unknown;
      error?: { code: string; message: string };
    }) => {
      events.push({ type: 'tool_completed', ...input });
    },
    delta: async (delta: string) => {
      events.push({ type: 'agent_response_delta', delta });
    },
    complete: async () => {
      throw new Error('the agents under test return instead of calling complete()');
    },
    finished: new Promise(() => {}),
  } as unknown as RunEmitter;
  const ctx: AgentContext = {
    input,
    runId: 'r_test',
    threadId: 't_test',
    userId: 'alice',
    emitter,
    signal: controller.signal,
    logger: createLogger('test-agent'),
  };
  return { ctx, events, abort: () => controller.abort(new Error('cancelled')) };
}

/** The concatenated deltas. */
export function deltaText(events: RecordedEvent[]): string {
  return events.map((event) => (event.type === 'agent_response_delta' ? event.delta : '')).join('');
}
