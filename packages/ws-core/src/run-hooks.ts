import type { AgentCompletedPayload } from '@app/ws-protocol';

/** What `onUserMessage` receives. */
export interface UserMessageInfo {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly messageId: string;
  readonly text: string;
  /** ISO-8601 time of the message (the `user_message` event's `ts`). */
  readonly ts: string;
}

/** One tool call of a run, as reported to `beforeRunCompleted`. */
export interface RunToolSummary {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly args: Record<string, unknown>;
  readonly ok: boolean;
  readonly durationMs: number;
}

/** What `beforeRunCompleted` receives. */
export interface RunCompletionInfo {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly agentName: string;
  readonly input: string;
  /** The payload the terminal `agent_completed` will carry. */
  readonly payload: AgentCompletedPayload;
  /** The run's completed tool calls, in order. */
  readonly tools: readonly RunToolSummary[];
}

/**
 * Persistence hooks (conversation history). Each call is awaited for at most `hookTimeoutMs`
 * (default 2000): past that bound, or when it rejects, the run goes on (the event is emitted
 * anyway) and the failure is logged once. Retrying in the background is the hook's business.
 */
export interface RunHooks {
  /** Before the `user_message` event of a `chat` is appended. */
  onUserMessage?(info: UserMessageInfo): Promise<void>;
  /** Before the run's terminal `agent_completed` is appended. */
  beforeRunCompleted?(info: RunCompletionInfo): Promise<void>;
}
