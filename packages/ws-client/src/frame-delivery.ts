import type { ChatEvent, ControlFrame, ErrorFrame, ResumedFrame } from '@app/ws-protocol';
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
  /** Whether `connection` is still the client's (a listener may close the client mid-delivery). */
  isCurrent(connection: Connection): boolean;
}

/**
 * Hands the frames of a welcomed connection to whoever awaits them: stream events to the
 * application once and in `seq` order (as the `EventSequencer` rules, asking for a `resume` when
 * it finds a gap), `ack`s and `error`s to the requests they answer, anything else to `error`.
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
        this.#apply(connection, sequencer.event(inbound.event.seq), inbound.event);
        return;
      case 'unknown_event':
        this.#apply(connection, sequencer.event(inbound.seq), undefined);
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
    this.#apply(connection, outcome, undefined);
  }

  /** Acts on the sequencer's verdict: reset first, then delivery, then a resume request. */
  #apply(connection: Connection, outcome: SequencerOutcome, event: ChatEvent | undefined): void {
    const { emitter } = this.#targets;
    if (outcome.reset) emitter.emit('reset', outcome.reset);
    if (outcome.deliver && event) {
      emitter.emit(event.type, event);
      emitter.emit('event', event);
    }
    if (outcome.resume && this.#targets.isCurrent(connection))
      connection.sendResume(outcome.resume.lastSeq, outcome.resume.epoch);
  }
}
