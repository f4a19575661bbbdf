import type { ResumedFrame, WelcomeFrame } from '@app/ws-protocol';

/** Where a client stands in the user's stream: the last `seq` it delivered and that seq's epoch. */
export interface StreamPosition {
  readonly lastSeq: number;
  readonly epoch: string;
}

/**
 * The stream restarted from the client's point of view: events were lost for good (retention passed
 * them, or the stream has a new epoch). The application reloads its state (conversation history
 * over HTTP) and continues from `seq`.
 */
export interface ResetInfo {
  /** The epoch the client now follows. */
  readonly epoch: string;
  /** The `seq` the client now stands at; live events follow it. */
  readonly seq: number;
  /** The position before the reset. */
  readonly previous: StreamPosition;
  /** `epoch_changed`: the stream was replaced; `incomplete_resume`: events after `previous` are gone. */
  readonly cause: 'epoch_changed' | 'incomplete_resume';
}

/** What the client does after the sequencer saw a frame. */
export interface SequencerOutcome {
  /** Deliver the event to the application. */
  deliver: boolean;
  /** Tell the application to reload (before delivering, when both are set). */
  reset?: ResetInfo;
  /** Send a `resume` message from this position. */
  resume?: StreamPosition;
  /** The resume catches up on the runs in flight (docs/protocol.md#8-joining-mid-run), not on a gap. */
  catchUp?: true;
}

/** The part of a `welcome` the sequencer reads; `activeRuns` absent counts as none. */
export type SequencerWelcome = Pick<WelcomeFrame, 'epoch' | 'seq'> & {
  readonly activeRuns?: readonly { readonly firstSeq: number }[];
};

const NOTHING: SequencerOutcome = { deliver: false };

/**
 * Delivers each stream event exactly once and in `seq` order, over reconnects.
 *
 * - `seq <= lastSeq` is a repeat (a replay overlaps what was delivered): dropped.
 * - `seq === lastSeq + 1` is delivered and becomes `lastSeq`.
 * - `seq > lastSeq + 1` is a gap: the event is dropped, not held, and one `resume` is requested;
 *   the replay repeats it and everything after it in order, so holding it would gain nothing.
 *   Events arriving while that resume is in flight are dropped the same way.
 *
 * Connect-time resume (`?lastSeq&epoch`): after `welcome`, events are sequenced against the held
 * position until `resumed`. `resumed {complete: false}` resets to `welcome.seq`/`welcome.epoch`. A
 * `welcome` with another epoch resets when its `resumed` is incomplete (what the protocol
 * promises), or at the first event if a server sends no `resumed`; a complete one adopts the
 * epoch without a reset.
 *
 * Joining mid-run (docs/protocol.md#8-joining-mid-run): a `welcome` without a held position that
 * lists runs in flight sets the position just before the oldest one's `firstSeq` and asks for a
 * `resume` from there, so every event of every run in flight is delivered, once and in order
 * (live events that arrive before the replay are dropped as a gap; the replay repeats them). An
 * incomplete connect-time resume does the same after its reset.
 *
 * Pure state, no I/O: the client acts on the returned {@link SequencerOutcome}s.
 */
export class EventSequencer {
  #position: StreamPosition | undefined;
  /** This connection's welcome, when the connection resumed at connect time. */
  #welcome: Pick<WelcomeFrame, 'epoch' | 'seq'> | undefined;
  #awaitingConnectResume = false;
  #epochChanged = false;
  #resumeInFlight = false;
  /** This connection's catch-up point: just before the oldest run in flight, when behind `welcome.seq`. */
  #joinFrom: number | undefined;

  /** @param initial a position to resume from on the first connection (e.g. saved by an earlier client) */
  constructor(initial?: StreamPosition) {
    this.#position = initial ? { lastSeq: initial.lastSeq, epoch: initial.epoch } : undefined;
  }

  /** The current position, or `undefined` before the first `welcome` (without an initial one). */
  get position(): StreamPosition | undefined {
    return this.#position;
  }

  /** The connection closed: whatever it had in flight is void; the next connection resumes. */
  connectionClosed(): void {
    this.#welcome = undefined;
    this.#awaitingConnectResume = false;
    this.#epochChanged = false;
    this.#resumeInFlight = false;
    this.#joinFrom = undefined;
  }

  /**
   * A connection's `welcome`. Without a position, the stream starts at `welcome.seq`, or catches
   * up from before the oldest of `activeRuns` (the outcome then carries that `resume`).
   */
  welcome(frame: SequencerWelcome): SequencerOutcome {
    this.connectionClosed();
    const joinFrom = catchUpPoint(frame);
    if (!this.#position) {
      this.#position = { lastSeq: frame.seq, epoch: frame.epoch };
      return joinFrom === undefined ? NOTHING : this.#catchUp(joinFrom);
    }
    this.#welcome = { epoch: frame.epoch, seq: frame.seq };
    this.#joinFrom = joinFrom;
    this.#awaitingConnectResume = true;
    this.#epochChanged = frame.epoch !== this.#position.epoch;
    return NOTHING;
  }

  /** A stream event with this `seq` arrived. */
  event(seq: number): SequencerOutcome {
    if (!this.#position) return NOTHING;
    let reset: ResetInfo | undefined;
    if (this.#epochChanged && this.#welcome) {
      // A new epoch and no `resumed` before its events: the old positions mean nothing here.
      reset = this.#resetTo(this.#welcome, 'epoch_changed');
      this.#epochChanged = false;
      this.#welcome = undefined; // so the `resumed` that may still come resets nothing more
    }
    const { lastSeq } = this.#position;
    if (seq <= lastSeq) return withReset({ deliver: false }, reset);
    if (seq === lastSeq + 1) {
      this.#position = { lastSeq: seq, epoch: this.#position.epoch };
      return withReset({ deliver: true }, reset);
    }
    if (this.#awaitingConnectResume || this.#resumeInFlight)
      return withReset({ deliver: false }, reset);
    this.#resumeInFlight = true;
    return withReset({ deliver: false, resume: this.#position }, reset);
  }

  /** A `resumed` frame: the end of a connect-time or an open-connection replay. */
  resumed(frame: ResumedFrame): SequencerOutcome {
    const position = this.#position;
    if (!position) return NOTHING;
    const atConnect = this.#awaitingConnectResume;
    const welcome = this.#welcome;
    const epochChanged = this.#epochChanged;
    this.#awaitingConnectResume = false;
    this.#resumeInFlight = false;
    this.#epochChanged = false;

    if (!frame.complete) {
      if (atConnect && welcome) {
        const joinFrom = this.#joinFrom;
        this.#joinFrom = undefined;
        const cause = epochChanged ? 'epoch_changed' : 'incomplete_resume';
        if (joinFrom === undefined) return { deliver: false, reset: this.#resetTo(welcome, cause) };
        // The runs in flight are retained whole: the stream restarts just before the oldest one.
        const reset = this.#resetTo({ epoch: welcome.epoch, seq: joinFrom }, cause);
        return { ...this.#catchUp(joinFrom), reset };
      }
      if (atConnect) return NOTHING; // reset already done at the first event of a new epoch
      // Open connection: live delivery continues after the replay, which ended at `toSeq`
      // (or at `latestSeq` when retention held nothing to replay).
      const seq = frame.replayed > 0 ? frame.toSeq : frame.latestSeq;
      return {
        deliver: false,
        reset: this.#resetTo({ epoch: position.epoch, seq }, 'incomplete_resume'),
      };
    }
    const current =
      epochChanged && welcome ? { lastSeq: position.lastSeq, epoch: welcome.epoch } : position;
    this.#position = current;
    if (current.lastSeq < frame.toSeq) {
      // Part of the replay was lost to a gap while it ran: ask again from where delivery stopped.
      this.#resumeInFlight = true;
      return { deliver: false, resume: current };
    }
    return NOTHING;
  }

  /** Stands just before `lastSeq + 1` and asks for the replay from there. */
  #catchUp(lastSeq: number): SequencerOutcome {
    const epoch = this.#position?.epoch ?? '';
    this.#position = { lastSeq, epoch };
    this.#resumeInFlight = true;
    return { deliver: false, resume: this.#position, catchUp: true };
  }

  /** The `resume` message was refused: let the next gap ask again. */
  resumeFailed(): void {
    this.#resumeInFlight = false;
  }

  #resetTo(target: { epoch: string; seq: number }, cause: ResetInfo['cause']): ResetInfo {
    const previous = this.#position ?? { lastSeq: 0, epoch: target.epoch };
    this.#position = { lastSeq: target.seq, epoch: target.epoch };
    return { epoch: target.epoch, seq: target.seq, previous, cause };
  }
}

/** `firstSeq − 1` of the oldest run in flight, when that is behind `welcome.seq`; else undefined. */
function catchUpPoint(frame: SequencerWelcome): number | undefined {
  let oldest: number | undefined;
  for (const run of frame.activeRuns ?? []) {
    const { firstSeq } = run;
    if (
      Number.isSafeInteger(firstSeq) &&
      firstSeq >= 1 &&
      (oldest === undefined || firstSeq < oldest)
    )
      oldest = firstSeq;
  }
  return oldest !== undefined && oldest - 1 < frame.seq ? oldest - 1 : undefined;
}

function withReset(outcome: SequencerOutcome, reset: ResetInfo | undefined): SequencerOutcome {
  return reset ? { ...outcome, reset } : outcome;
}
