import type { RunStatus } from '@app/ws-protocol';
import type { UIMessage } from 'ai';

/** One tool call of a stored run (the history's `tools` entries). */
export interface StoredToolCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly ok: boolean;
  /** Absent in records kept before ids were: one is made from the run id then. */
  readonly toolCallId?: string;
  readonly result?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** One stored message of a thread (`GET /api/v1/threads/:threadId/messages` items). */
export interface StoredMessage {
  readonly messageId: string;
  readonly role: 'user' | 'assistant';
  /** The user's text, or the run's final response (`''` when none). */
  readonly text: string;
  readonly runId: string;
  readonly status?: RunStatus;
  readonly tools?: readonly StoredToolCall[];
}

/**
 * A thread's stored messages as AI SDK `UIMessage`s (docs/interop.md#ui-messages), so that
 * `useChat({ id: threadId, messages })` opens where the user left off: a user message is its
 * text part; an assistant message (id = the run id, as the live stream's `start` names it) is
 * one tool part per call — `tool-<name>`, `output-available` with its output, or `output-error`
 * naming the code — then its text. Reasoning is not stored, so it is not restored.
 */
export function toUIMessages(messages: readonly StoredMessage[]): UIMessage[] {
  return messages.map((message) =>
    message.role === 'user'
      ? { id: message.messageId, role: 'user', parts: [{ type: 'text', text: message.text }] }
      : {
          id: message.runId,
          role: 'assistant',
          parts: [
            ...(message.tools ?? []).map((tool, index) => toolPart(message.runId, tool, index)),
            ...(message.text === ''
              ? []
              : [{ type: 'text' as const, text: message.text, state: 'done' as const }]),
          ],
        },
  );
}

function toolPart(runId: string, tool: StoredToolCall, index: number): UIMessage['parts'][number] {
  const common = {
    type: `tool-${tool.name}` as const,
    toolCallId: tool.toolCallId ?? `${runId}-tool-${index + 1}`,
    input: tool.args,
  };
  if (tool.ok) return { ...common, state: 'output-available', output: tool.result ?? null };
  const errorText =
    tool.error === undefined ? 'failed' : `${tool.error.code}: ${tool.error.message}`;
  return { ...common, state: 'output-error', errorText };
}
