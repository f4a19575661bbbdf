import type { ActiveRun } from './active-run.js';
import type { MessageId } from './client-messages.js';
import type { ErrorCode } from './error-codes.js';
import type { PROTOCOL_VERSION } from './protocol-version.js';

/** The first frame of every v1 connection, sent exactly once right after the socket opens. */
export interface WelcomeFrame {
  type: 'welcome';
  protocol: typeof PROTOCOL_VERSION;
  connectionId: string;
  userId: string;
  /** Names the user's stream; a resume with another epoch cannot be complete. */
  epoch: string;
  /** The latest `seq` of the user's stream (0 when empty); live events start after it. */
  seq: number;
  heartbeatMs: number;
  /**
   * Retention of the user's stream: the last `maxEvents` events, none older than `maxAgeMs`, at
   * most `maxBytes` of event JSON — except the events of runs in flight, which stay until their
   * run ends (docs/protocol.md#retention).
   */
  resumeWindow: { maxEvents: number; maxAgeMs: number; maxBytes: number };
  serverId: string;
  /** The user's runs that have not ended yet, on any node, oldest first (`[]` when none). */
  activeRuns: ActiveRun[];
}

/** The answer to a `ping` message. */
export interface PongFrame {
  type: 'pong';
  /** The ping's `id`, exactly as given, when it had one. */
  ref?: MessageId;
}

/** A client message with an `id` was accepted (no `id`, no `ack`). */
export interface AckFrame {
  type: 'ack';
  /** The message's `id`, exactly as given. */
  ref: MessageId;
  /** For `chat`: the run it started. */
  runId?: string;
  /** For `chat`: the thread of that run (made when the message named none). */
  threadId?: string;
}

/** A client message was refused. An error never closes the connection by itself. */
export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** The refused message's `id`, when it had a valid one. */
  ref?: MessageId;
  /** For `rate_limited`: when trying again may succeed. */
  retryAfterMs?: number;
}

/**
 * The end of a resume replay. Every field is always present: `fromSeq = lastSeq + 1`; `toSeq` the
 * last `seq` replayed (`lastSeq` when none); `replayed = toSeq - lastSeq`; `oldestSeq` the oldest
 * retained `seq` of the current epoch (`latestSeq + 1` when nothing is retained); `latestSeq` the
 * stream's latest `seq` when the replay ended.
 */
export interface ResumedFrame {
  type: 'resumed';
  /** True when every event after `lastSeq` was replayed from the same epoch. */
  complete: boolean;
  fromSeq: number;
  toSeq: number;
  replayed: number;
  oldestSeq: number;
  latestSeq: number;
}

/** A frame outside the user's stream: no `seq`, never replayed. */
export type ControlFrame = WelcomeFrame | PongFrame | AckFrame | ErrorFrame | ResumedFrame;
