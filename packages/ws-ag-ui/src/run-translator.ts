import {
  EventType,
  PROTOCOL_VERSION,
  type BaseEvent,
  type ReasoningEndEvent,
  type ReasoningMessageContentEvent,
  type ReasoningMessageEndEvent,
  type ReasoningMessageStartEvent,
  type ReasoningStartEvent,
  type RunErrorEvent,
  type RunFinishedEvent,
  type RunStartedEvent,
  type TextMessageContentEvent,
  type TextMessageEndEvent,
  type TextMessageStartEvent,
  type ToolCallArgsEvent,
  type ToolCallEndEvent,
  type ToolCallResultEvent,
  type ToolCallStartEvent,
} from '@ag-ui/core';
import type { ChatEvent, UnsequencedEvent } from '@app/ws-protocol';

/** The AG-UI events this translation produces. */
export type AgUiRunEvent =
  | RunStartedEvent
  | RunFinishedEvent
  | RunErrorEvent
  | ReasoningStartEvent
  | ReasoningMessageStartEvent
  | ReasoningMessageContentEvent
  | ReasoningMessageEndEvent
  | ReasoningEndEvent
  | ToolCallStartEvent
  | ToolCallArgsEvent
  | ToolCallEndEvent
  | ToolCallResultEvent
  | TextMessageStartEvent
  | TextMessageContentEvent
  | TextMessageEndEvent;

/** One AG-UI event with its number within the run: the SSE `id:` line. */
export interface NumberedAgUiEvent {
  /** 1 for the run's first AG-UI event, then +1 per event, on every node alike. */
  readonly id: number;
  readonly event: AgUiRunEvent;
}

/** A run event as the translator reads it: with or without the stream's `seq`. */
export type RunEventInput = ChatEvent | UnsequencedEvent;

/**
 * Turns one run's events, in order, into AG-UI events numbered from 1 (docs/interop.md#2-ag-ui-httpagent).
 * Deterministic: the output depends only on the events given (ids of messages and tool results
 * are derived from the run id, timestamps from the events' `ts`), so every node that reads the
 * same run produces the same events with the same numbers, and a resume can skip by number.
 *
 * - `agent_started` → `RUN_STARTED` (`protocolVersion` of `@ag-ui/core`);
 * - `agent_thinking` → `REASONING_START`, `REASONING_MESSAGE_START`, `REASONING_MESSAGE_CONTENT`,
 *   `REASONING_MESSAGE_END`, `REASONING_END`;
 * - `tool_executing` → `TOOL_CALL_START`, `TOOL_CALL_ARGS` (the args as JSON text), `TOOL_CALL_END`;
 * - `tool_completed` → `TOOL_CALL_RESULT` (the result as text; a failed call's content is
 *   `{"error":{code,message}}`);
 * - `agent_response_delta` → `TEXT_MESSAGE_START` before the first delta of a text message, then
 *   `TEXT_MESSAGE_CONTENT`; any other event closes the open text message (`TEXT_MESSAGE_END`);
 * - `agent_completed` → `TEXT_MESSAGE_END` when a text message is open (or, for a successful run
 *   whose response came without any delta, one whole text message), then `RUN_FINISHED`
 *   (success), `RUN_FINISHED` with `outcome: {type: 'cancelled'}`, or `RUN_ERROR` with the
 *   error's `message` and `code` (error, timeout, node lost).
 *
 * `user_message` produces nothing (the client sent that message). A run whose first event after
 * it is not `agent_started` (a run ended by another node before its agent started) gets a
 * `RUN_STARTED` first all the same. Nothing follows the terminal event.
 */
export class AgUiRunTranslator {
  #nextId = 1;
  #started = false;
  #ended = false;
  #thinking = 0;
  #texts = 0;
  /** The id of the text message open now, or undefined. */
  #openText: string | undefined;
  #sawText = false;

  /** Numbers given so far: the id of the last event returned (0 before any). */
  get lastId(): number {
    return this.#nextId - 1;
  }

  /** True once the run's terminal event was translated. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The AG-UI events of the run's next event, numbered (empty for events that map to none). */
  translate(event: RunEventInput): NumberedAgUiEvent[] {
    if (this.#ended) return [];
    const out: AgUiRunEvent[] = [];
    const timestamp = timestampOf(event.ts);
    if (event.type === 'user_message') return [];
    if (!this.#started) {
      this.#started = true;
      out.push({
        type: EventType.RUN_STARTED,
        threadId: event.threadId,
        runId: event.runId,
        protocolVersion: PROTOCOL_VERSION,
        ...timestamp,
      });
      if (event.type === 'agent_started') return this.#number(out);
    }
    if (event.type !== 'agent_response_delta') this.#closeText(out, timestamp);
    switch (event.type) {
      case 'agent_started':
        // A second agent_started of the same run cannot happen (docs/protocol.md#run-order).
        break;
      case 'agent_thinking': {
        const spanId = `${event.runId}-reasoning-${++this.#thinking}`;
        const messageId = `${spanId}-message`;
        out.push(
          { type: EventType.REASONING_START, messageId: spanId, ...timestamp },
          {
            type: EventType.REASONING_MESSAGE_START,
            messageId,
            role: 'reasoning',
            ...timestamp,
          },
          {
            type: EventType.REASONING_MESSAGE_CONTENT,
            messageId,
            delta: event.payload.text,
            ...timestamp,
          },
          { type: EventType.REASONING_MESSAGE_END, messageId, ...timestamp },
          { type: EventType.REASONING_END, messageId: spanId, ...timestamp },
        );
        break;
      }
      case 'tool_executing': {
        const { toolCallId, toolName, args } = event.payload;
        out.push(
          { type: EventType.TOOL_CALL_START, toolCallId, toolCallName: toolName, ...timestamp },
          { type: EventType.TOOL_CALL_ARGS, toolCallId, delta: JSON.stringify(args), ...timestamp },
          { type: EventType.TOOL_CALL_END, toolCallId, ...timestamp },
        );
        break;
      }
      case 'tool_completed': {
        const { toolCallId, ok, result, error } = event.payload;
        out.push({
          type: EventType.TOOL_CALL_RESULT,
          messageId: `${event.runId}-tool-${toolCallId}`,
          toolCallId,
          content: ok ? resultText(result) : JSON.stringify({ error: error ?? null }),
          role: 'tool',
          ...timestamp,
        });
        break;
      }
      case 'agent_response_delta':
        this.#sawText = true;
        if (this.#openText === undefined) {
          this.#openText = `${event.runId}-text-${++this.#texts}`;
          out.push({
            type: EventType.TEXT_MESSAGE_START,
            messageId: this.#openText,
            role: 'assistant',
            ...timestamp,
          });
        }
        out.push({
          type: EventType.TEXT_MESSAGE_CONTENT,
          messageId: this.#openText,
          delta: event.payload.delta,
          ...timestamp,
        });
        break;
      case 'agent_completed':
        this.#ended = true;
        this.#finish(event, out, timestamp);
        break;
    }
    return this.#number(out);
  }

  #finish(
    event: RunEventInput & { type: 'agent_completed' },
    out: AgUiRunEvent[],
    timestamp: { timestamp?: number },
  ): void {
    const { status, response, error } = event.payload;
    const ids = { threadId: event.threadId, runId: event.runId };
    if (status === 'success') {
      if (!this.#sawText && response !== undefined && response.length > 0) {
        const messageId = `${event.runId}-text-${++this.#texts}`;
        out.push(
          { type: EventType.TEXT_MESSAGE_START, messageId, role: 'assistant', ...timestamp },
          { type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta: response, ...timestamp },
          { type: EventType.TEXT_MESSAGE_END, messageId, ...timestamp },
        );
      }
      out.push({ type: EventType.RUN_FINISHED, ...ids, ...timestamp });
    } else if (status === 'cancelled') {
      out.push({
        type: EventType.RUN_FINISHED,
        ...ids,
        outcome: { type: 'cancelled' },
        ...timestamp,
      });
    } else {
      out.push({
        type: EventType.RUN_ERROR,
        message: error?.message ?? `The run ended with status ${status}`,
        code: error?.code ?? status,
        ...timestamp,
      });
    }
  }

  #closeText(out: AgUiRunEvent[], timestamp: { timestamp?: number }): void {
    if (this.#openText === undefined) return;
    out.push({ type: EventType.TEXT_MESSAGE_END, messageId: this.#openText, ...timestamp });
    this.#openText = undefined;
  }

  #number(events: AgUiRunEvent[]): NumberedAgUiEvent[] {
    return events.map((event) => ({ id: this.#nextId++, event }));
  }
}

/** Every AG-UI event of a run's events, numbered from 1 (see {@link AgUiRunTranslator}). */
export function translateRunEvents(events: Iterable<RunEventInput>): NumberedAgUiEvent[] {
  const translator = new AgUiRunTranslator();
  const out: NumberedAgUiEvent[] = [];
  for (const event of events) out.push(...translator.translate(event));
  return out;
}

/** A tool result as text: strings as they are, anything else as JSON. */
function resultText(result: unknown): string {
  if (typeof result === 'string') return result;
  return JSON.stringify(result ?? null);
}

/** Milliseconds since the epoch of an event's `ts`, when it reads as a date. */
function timestampOf(ts: string): { timestamp?: number } {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? { timestamp: ms } : {};
}

/** Whether `event` is an AG-UI event that ends a run. */
export function isTerminalAgUiEvent(event: BaseEvent): boolean {
  return event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR;
}
