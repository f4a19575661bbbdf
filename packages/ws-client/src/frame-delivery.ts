import type { ChatEvent, ControlFrame, ErrorFrame, ResumedFrame } from '@app/ws-protocol';
import type { ActiveRuns } from './active-runs.js';
import type { ChatClientEvents } from './client-events.js';
import type { Connection } from './connection.js';
import { ChatClientError } from './errors.js';
import type { EventSequencer, SequencerOutcome } from './event-sequencer.js';
import type { PendingRequests } from './pending-requests.js';
import type { InboundFrame } from './read-server-frame.js';
import type { TypedEmitter } from './typed-emitter.js';

/** What a {@link FrameDelivery} hands frames to. */
export interface FrameDeliveryTargets {
  readonly sequencer: EventSequencer;
  readonly requests: PendingRequests;
  readonly emitter: TypedEmitter<ChatClientEvents>;
  /** The runs in flight, fed every delivered event. */
  readonly runs: ActiveRuns;
  /** Whether `connection` is still the client's (a listener may close the client mid-delivery). */
  isCurrent(connection: Connection): boolean;
}

/**
 * Hands the frames of a welcomed connection to whoever awaits them: stream events to the
 * application once and in `seq` order (as the `EventSequencer` rules, asking for a `resume` when
 * it finds a gap) and then, as its run's new view, to `run`; `ack`s and `error`s to the requests
 * they answer, anything else to `error`.
 */
export class FrameDelivery {
  readonly #targets: FrameDeliveryTargets;

  constructor(targets: FrameDeliveryTargets) {
    this.#targets = targets;
  }

  /** Delivers one frame that arrived on `connection` after its `welcome`. */
  deliver(connection: Connection, inbound: InboundFrame): void {
    const { sequencer } = this.#targets;
    switch (inbound.kind) {
      case 'event':
        this.apply(connection, sequencer.event(inbound.event.seq), inbound.event);
        return;
      case 'unknown_event':
        this.apply(connection, sequencer.event(inbound.seq), undefined);
        return;
      case 'control':
        this.#onControl(connection, inbound.frame);
        return;
      case 'unknown_control':
        return;
    }
  }

  #onControl(connection: Connection, frame: ControlFrame): void {
    switch (frame.type) {
      case 'ack':
        if (!this.#targets.requests.ack(frame)) connection.settleInternal(frame.ref);
        return;
      case 'error':
        this.#onErrorFrame(connection, frame);
        return;
      case 'resumed':
        this.#onResumed(connection, frame);
        return;
      case 'welcome': // only the first frame of a connection is a welcome
      case 'pong':
        return;
    }
  }

  #onErrorFrame(connection: Connection, frame: ErrorFrame): void {
    if (this.#targets.requests.fail(frame)) return;
    if (frame.ref !== undefined && connection.settleInternal(frame.ref) === 'resume')
      this.#targets.sequencer.resumeFailed();
    this.#targets.emitter.emit(
      'error',
      new ChatClientError(frame.code, frame.message, {
        ...(frame.ref === undefined ? {} : { ref: frame.ref }),
        ...(frame.retryAfterMs === undefined ? {} : { retryAfterMs: frame.retryAfterMs }),
      }),
    );
  }

  #onResumed(connection: Connection, frame: ResumedFrame): void {
    const outcome = this.#targets.sequencer.resumed(frame);
    this.#targets.emitter.emit('resumed', frame);
    this.apply(connection, outcome, undefined);
  }

  /**
   * Acts on the sequencer's verdict: reset first, then delivery (the event, then its run's view),
   * then a resume request (announced as `catch_up` when it catches up on the runs in flight).
   */
  apply(connection: Connection, outcome: SequencerOutcome, event: ChatEvent | undefined): void {
    const { emitter, runs } = this.#targets;
    if (outcome.reset) {
      runs.reset();
      emitter.emit('reset', outcome.reset);
    }
    if (outcome.deliver && event) {
      const view = runs.event(event); // first, so that `client.run()` agrees with the listeners
      emitter.emit(event.type, event);
      emitter.emit('event', event);
      emitter.emit('run', view);
    }
    if (!outcome.resume || !this.#targets.isCurrent(connection)) return;
    const { lastSeq, epoch } = outcome.resume;
    if (outcome.catchUp) emitter.emit('catch_up', { fromSeq: lastSeq + 1, runs: runs.list });
    if (this.#targets.isCurrent(connection)) connection.sendResume(lastSeq, epoch);
  }
}
