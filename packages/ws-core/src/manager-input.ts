import { LIMITS } from '@app/ws-protocol';
import type { Agent } from './agent';
import type { AgentRegistry } from './agent-registry';
import type { ChatAck } from './stream-engine';
import { InvalidInputError, UnknownAgentError } from './errors';
import { envelopeBytes, eventBytesOver } from './event-size';
import { randomId } from './random-id';

/** Input of {@link WebSocketManager.chat}. */
export interface ChatInput {
  /** The user's message, 1 to 16384 characters. */
  text: string;
  /** Default: a new `t_` + random thread. */
  threadId?: string;
  /** Agent name. Default: the hub's default agent. */
  agent?: string;
  /**
   * The id the run should have (1 to 128 characters), used when it is free: no run of that id is
   * in flight on any node nor running on this one. Otherwise the run gets a new `r_` id, as
   * without it; the result names the id used. Whether a run of that id ended earlier is the
   * caller's to check (an engine forgets a run once it ended).
   */
  runId?: string;
  /** The client message `id`: the same id within `chatIdempotencyMs` gets the same ack, no new run. */
  clientMessageId?: string | number;
  /**
   * Called once the chat is accepted, before its `user_message` is appended: send the `ack`
   * here and it precedes the run's events on every connection. Also called for a repeated id.
   */
  onAccepted?: (ack: ChatResult) => void;
}

/** What {@link WebSocketManager.chat} resolves with: the `ack`'s run and thread. */
export type ChatResult = ChatAck;

/** Input of {@link WebSocketManager.startRun}. */
export interface StartRunInput {
  /** Agent name shown in `agent_started` (need not be registered: the caller drives the run). */
  agent: string;
  /** Default: a new `t_` + random thread. */
  threadId?: string;
  /** The text the run answers (`agent_started.payload.input`). */
  input: string;
}

/** Length in Unicode code points (the protocol's "characters"); cheap when all are BMP. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) count--;
  }
  return count;
}

/**
 * Checks a chat's text: 1 to `LIMITS.maxTextLength` characters.
 * @throws InvalidInputError
 */
export function assertChatText(text: unknown): asserts text is string {
  if (typeof text !== 'string' || text.length === 0 || codePoints(text) > LIMITS.maxTextLength) {
    throw new InvalidInputError(`text must be 1 to ${LIMITS.maxTextLength} characters`);
  }
}

/**
 * The agent a chat names, else the hub's default agent, else the first registered one.
 * @throws UnknownAgentError
 */
export function resolveAgent(
  agents: AgentRegistry,
  name: string | undefined,
  defaultAgent: string | undefined,
): Agent {
  const agentName = name ?? defaultAgent ?? agents.firstName;
  const agent = agentName === undefined ? undefined : agents.get(agentName);
  if (agent === undefined) throw new UnknownAgentError(agentName ?? '');
  return agent;
}

/**
 * The given thread id, checked (1 to `LIMITS.maxIdLength` characters), or a new `t_` one.
 * @throws InvalidInputError
 */
export function resolveThreadId(threadId: string | undefined): string {
  if (threadId === undefined) return randomId('t_');
  if (
    typeof threadId !== 'string' ||
    threadId.length === 0 ||
    codePoints(threadId) > LIMITS.maxIdLength
  ) {
    throw new InvalidInputError(`threadId must be 1 to ${LIMITS.maxIdLength} characters`);
  }
  return threadId;
}

/**
 * A chat's preferred run id, checked (1 to `LIMITS.maxIdLength` characters), or undefined.
 * @throws InvalidInputError
 */
export function resolvePreferredRunId(runId: string | undefined): string | undefined {
  if (runId === undefined) return undefined;
  if (typeof runId !== 'string' || runId.length === 0 || codePoints(runId) > LIMITS.maxIdLength) {
    throw new InvalidInputError(`runId must be 1 to ${LIMITS.maxIdLength} characters`);
  }
  return runId;
}

/**
 * The chat's user_message and agent_started must each fit in `maxEventBytes`.
 * @throws InvalidInputError
 */
export function assertChatFits(
  runId: string,
  threadId: string,
  agentName: string,
  text: string,
  limit: number,
): void {
  const envelope = envelopeBytes(runId, threadId);
  const sample = randomId('m_');
  const over = Math.max(
    eventBytesOver(envelope, 'user_message', JSON.stringify({ messageId: sample, text }), limit),
    eventBytesOver(envelope, 'agent_started', JSON.stringify({ agentName, input: text }), limit),
  );
  if (over > 0) {
    throw new InvalidInputError(
      `text makes an event of ${over} bytes, over maxEventBytes (${limit})`,
    );
  }
}
