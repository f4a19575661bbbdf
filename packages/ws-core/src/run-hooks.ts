import type { AgentCompletedPayload, EventError } from '@app/ws-protocol';

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

/** What `admitChat` receives. */
export interface ChatAdmissionInfo {
  readonly userId: string;
  /** The chat's thread: the one it named, or the new id made for it. */
  readonly threadId: string;
  /** True when the chat named no thread (it starts a new one for certain). */
  readonly threadIdGiven: boolean;
}

/** One tool call of a run, as reported to `beforeRunCompleted`. */
export interface RunToolSummary {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly args: Record<string, unknown>;
  readonly ok: boolean;
  /** The tool's result, when `ok` and it gave one. */
  readonly result?: unknown;
  /** Why it failed, when not `ok`. */
  readonly error?: EventError;
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
  /**
   * Before a `chat` is accepted (before its `ack`, its run and its `user_message`). Rejecting
   * refuses the chat: `chat()` throws the rejection, so an error carrying `wireCode` (and
   * `retryAfterMs`) reaches the client as that `error` frame — e.g. a limit on new threads per
   * user. Past `hookTimeoutMs` the chat is admitted (logged once), like the other hooks.
   */
  admitChat?(info: ChatAdmissionInfo): Promise<void>;
  /** Before the `user_message` event of a `chat` is appended. */
  onUserMessage?(info: UserMessageInfo): Promise<void>;
  /** Before the run's terminal `agent_completed` is appended. */
  beforeRunCompleted?(info: RunCompletionInfo): Promise<void>;
}
