import type { ActiveRun, ChatEvent, EventType, ResumedFrame, WelcomeFrame } from '@app/ws-protocol';
import type { ChatClientError } from './errors.js';
import type { ResetInfo } from './event-sequencer.js';
import type { RunView } from './run-view.js';

/**
 * The connection's state:
 * - `connecting`: the first attempt, until its `welcome`;
 * - `open`: a `welcome` arrived; messages flow;
 * - `reconnecting`: the connection closed unexpectedly (or an attempt failed); waiting out the
 *   backoff or attempting again;
 * - `closed`: for good — `close()` was called, or the server closed with 1000, 1007, 1008 or 1009.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The payload of the `state` event. */
export interface StateChange {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  /** The close code that caused the change (to `reconnecting` or `closed`). */
  readonly code?: number;
  /** The close reason that came with `code`. */
  readonly reason?: string;
  /** For `reconnecting`: when the next attempt starts. */
  readonly retryInMs?: number;
}

/** The payload of the `catch_up` event: the client asks for the runs in flight from their start. */
export interface CatchUpInfo {
  /** The first `seq` the replay delivers (the oldest run's `firstSeq`). */
  readonly fromSeq: number;
  /** The runs in flight, oldest first, as the `welcome` listed them. */
  readonly runs: readonly ActiveRun[];
}

/** One listener per stream event type, typed by it. */
export type StreamEventMap = { [K in EventType]: ChatEvent<K> };

/**
 * Everything `client.on(type, listener)` accepts, with the listener's payload:
 * - each of the seven stream event types (`agent_started`, …): that event, exactly once, in `seq` order;
 * - `event`: every stream event (after its type's listeners);
 * - `run`: after `event`, the {@link RunView} of that event's run, folded from every event of it
 *   this client delivered (the final one at `agent_completed`);
 * - `catch_up`: the client asks for the runs in flight from their first event (a connect without
 *   a held position, or after an incomplete resume); their events, then `resumed`, follow;
 * - `state`: a {@link StateChange};
 * - `reset`: events were lost for good; reload the application's state (see `ResetInfo`);
 * - `error`: a `ChatClientError` not tied to a pending `chat`/`cancel` (an `error` frame without a
 *   matching request, a refused resume or auth, failed credentials, a terminal close);
 * - `welcome`: each connection's `welcome` frame;
 * - `resumed`: each `resumed` frame (end of a replay).
 */
export type ChatClientEvents = StreamEventMap & {
  event: ChatEvent;
  run: RunView;
  catch_up: CatchUpInfo;
  state: StateChange;
  reset: ResetInfo;
  error: ChatClientError;
  welcome: WelcomeFrame;
  resumed: ResumedFrame;
};
