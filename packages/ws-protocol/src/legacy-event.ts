import type { ChatEvent } from './chat-event.js';
import type { EventType } from './event-types.js';
import type { RunStatus } from './run-statuses.js';

/** The fields every flat event of the legacy wire mode carries (docs/protocol.md#flat-events). */
export interface LegacyEventBase<T extends EventType> {
  type: T;
  run_id: string;
  thread_id: string;
  user_id: string;
  /** The event's `ts`. */
  timestamp: string;
  seq: number;
}

/** Flat `user_message` (this project's choice, docs/protocol.md#flat-events): `content`, `message_id`. */
export interface LegacyUserMessageEvent extends LegacyEventBase<'user_message'> {
  content: string;
  message_id: string;
}

/** Flat `agent_started`. */
export interface LegacyAgentStartedEvent extends LegacyEventBase<'agent_started'> {
  agent_name: string;
  task_description: string;
}

/** Flat `agent_thinking`. */
export interface LegacyAgentThinkingEvent extends LegacyEventBase<'agent_thinking'> {
  reasoning: string;
}

/** Flat `tool_executing`; `execution_id` is the v1 `toolCallId`. */
export interface LegacyToolExecutingEvent extends LegacyEventBase<'tool_executing'> {
  tool_name: string;
  tool_args: Record<string, unknown>;
  execution_id: string;
}

/**
 * Flat `tool_completed`. `results` is the tool's result (`null` when it has none or failed);
 * `execution_time` is in seconds. A failure adds `error` (its message) and `error_code`.
 */
export interface LegacyToolCompletedEvent extends LegacyEventBase<'tool_completed'> {
  tool_name: string;
  results: unknown;
  execution_time: number;
  success: boolean;
  execution_id: string;
  error?: string;
  error_code?: string;
}

/** Flat `agent_response_delta` (this project's choice, docs/protocol.md#flat-events): `delta`. */
export interface LegacyAgentResponseDeltaEvent extends LegacyEventBase<'agent_response_delta'> {
  delta: string;
}

/**
 * Flat `agent_completed`. `final_response` is `null` when the run produced none. A failure adds
 * `error` (its message) and `error_code`.
 */
export interface LegacyAgentCompletedEvent extends LegacyEventBase<'agent_completed'> {
  status: RunStatus;
  final_response: string | null;
  error?: string;
  error_code?: string;
}

/** An event in the legacy flat format. */
export type LegacyEvent =
  | LegacyUserMessageEvent
  | LegacyAgentStartedEvent
  | LegacyAgentThinkingEvent
  | LegacyToolExecutingEvent
  | LegacyToolCompletedEvent
  | LegacyAgentResponseDeltaEvent
  | LegacyAgentCompletedEvent;

/**
 * The legacy flat form of a v1 event (docs/protocol.md#flat-events), for clients of `/websocket` and
 * `/ws?mode=legacy`. Every event type has one; `undefined` only for a type this version does not
 * know (so a newer server's events are skipped, not garbled).
 *
 * @param userId The user whose stream the event belongs to (v1 events do not carry it).
 */
export function toLegacyEvent(event: ChatEvent, userId: string): LegacyEvent | undefined {
  const base = {
    run_id: event.runId,
    thread_id: event.threadId,
    user_id: userId,
    timestamp: event.ts,
    seq: event.seq,
  };
  switch (event.type) {
    case 'user_message':
      return {
        type: event.type,
        ...base,
        content: event.payload.text,
        message_id: event.payload.messageId,
      };
    case 'agent_started':
      return {
        type: event.type,
        ...base,
        agent_name: event.payload.agentName,
        task_description: event.payload.input,
      };
    case 'agent_thinking':
      return { type: event.type, ...base, reasoning: event.payload.text };
    case 'tool_executing':
      return {
        type: event.type,
        ...base,
        tool_name: event.payload.toolName,
        tool_args: event.payload.args,
        execution_id: event.payload.toolCallId,
      };
    case 'tool_completed': {
      const { payload } = event;
      return {
        type: event.type,
        ...base,
        tool_name: payload.toolName,
        results: payload.ok ? (payload.result ?? null) : null,
        execution_time: payload.durationMs / 1000,
        success: payload.ok,
        execution_id: payload.toolCallId,
        ...flatError(payload.error),
      };
    }
    case 'agent_response_delta':
      return { type: event.type, ...base, delta: event.payload.delta };
    case 'agent_completed': {
      const { payload } = event;
      return {
        type: event.type,
        ...base,
        status: payload.status,
        final_response: payload.response ?? null,
        ...flatError(payload.error),
      };
    }
    default:
      return undefined;
  }
}

function flatError(error: { code: string; message: string } | undefined): {
  error?: string;
  error_code?: string;
} {
  return error === undefined ? {} : { error: error.message, error_code: error.code };
}
