/** The message types a client may send (docs/protocol.md#5-client-messages). */
export const CLIENT_MESSAGE_TYPES = ['ping', 'chat', 'cancel', 'resume', 'auth'] as const;

/** One of the {@link CLIENT_MESSAGE_TYPES}. */
export type ClientMessageType = (typeof CLIENT_MESSAGE_TYPES)[number];

/** A client message's `id`: a string of 1 to 128 characters or a number, echoed back as `ref`. */
export type MessageId = string | number;

/** Asks for a `pong` (with `ref` = `id`). */
export interface PingMessage {
  type: 'ping';
  id?: MessageId;
}

/**
 * Sends the user's text to an agent: `ack {ref, runId, threadId}`, then a `user_message` event and
 * the run's events. With an `id`, idempotent per user for 5 minutes.
 */
export interface ChatMessage {
  type: 'chat';
  id?: MessageId;
  /** 1 to 16,384 characters. */
  text: string;
  /** The thread to continue; a new one is made when absent. */
  threadId?: string;
  /** The agent to run; the server's default agent when absent. */
  agent?: string;
}

/** Cancels one of the user's runs; it ends with `agent_completed` status `cancelled`. */
export interface CancelMessage {
  type: 'cancel';
  id?: MessageId;
  runId: string;
}

/** Replays every retained event with `seq > lastSeq`, then sends `resumed`, then continues live. */
export interface ResumeMessage {
  type: 'resume';
  id?: MessageId;
  /** An integer ≥ 0: the last `seq` the client holds. */
  lastSeq: number;
  /** The epoch that `lastSeq` belongs to (from `welcome.epoch`). */
  epoch: string;
}

/** Replaces the connection's credentials before they expire, with a token for the same user. */
export interface AuthMessage {
  type: 'auth';
  id?: MessageId;
  token: string;
}

/** Anything a v1 client may send. */
export type ClientMessage = PingMessage | ChatMessage | CancelMessage | ResumeMessage | AuthMessage;
