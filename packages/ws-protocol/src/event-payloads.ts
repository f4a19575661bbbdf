import type { RunStatus } from './run-statuses.js';

/** A failure carried inside an event payload (`tool_completed.error`, `agent_completed.error`). */
export interface EventError {
  /** A stable machine-readable code chosen by the tool or agent (e.g. `agent_error`). */
  code: string;
  /** A human-readable explanation. */
  message: string;
}

/** `user_message`: the user's own chat message, so their other tabs show it. */
export interface UserMessagePayload {
  messageId: string;
  text: string;
}

/** `agent_started`: the first event of every run. */
export interface AgentStartedPayload {
  agentName: string;
  /** The user's text that started the run. */
  input: string;
}

/** `agent_thinking`: the agent's reasoning, as it goes. */
export interface AgentThinkingPayload {
  text: string;
}

/** `tool_executing`: a tool call began. */
export interface ToolExecutingPayload {
  toolCallId: string;
  toolName: string;
  /** The tool's arguments (the calculator's are `{ expression }`). */
  args: Record<string, unknown>;
}

/** `tool_completed`: the tool call with the same `toolCallId` ended. */
export interface ToolCompletedPayload {
  toolCallId: string;
  toolName: string;
  ok: boolean;
  /** The tool's result when `ok` (the calculator's is the number). */
  result?: unknown;
  /** Why the tool failed, when not `ok`. */
  error?: EventError;
  durationMs: number;
}

/** `agent_response_delta`: a piece of streamed response text. */
export interface AgentResponseDeltaPayload {
  delta: string;
}

/** `agent_completed`: the run's one terminal event. */
export interface AgentCompletedPayload {
  status: RunStatus;
  /** The final response text, when there is one. */
  response?: string;
  /** Why the run did not succeed, when it did not. */
  error?: EventError;
  durationMs: number;
}

/** Each event type's payload. */
export interface EventPayloads {
  user_message: UserMessagePayload;
  agent_started: AgentStartedPayload;
  agent_thinking: AgentThinkingPayload;
  tool_executing: ToolExecutingPayload;
  tool_completed: ToolCompletedPayload;
  agent_response_delta: AgentResponseDeltaPayload;
  agent_completed: AgentCompletedPayload;
}
