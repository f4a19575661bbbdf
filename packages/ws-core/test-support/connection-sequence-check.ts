/**
 * The test oracle for what ONE connection receives, fed frame by frame as they arrive on the
 * wire — before any client drops duplicates or repairs gaps (docs/protocol.md#sequence-numbers,
 * docs/protocol.md#resume-at-connect-time, docs/protocol.md#resume-on-an-open-connection):
 *
 * - the first frame is `welcome`, for this connection's user, and there is only one;
 * - stream events carry `seq` contiguous from `welcome.seq` (or, at connect time, from the
 *   `?lastSeq=N` the connection asked for): no gap, no repeat;
 * - a connect-time resume is exact: `welcome`, then exactly the events `N+1 … toSeq`, once each,
 *   then `resumed {fromSeq: N+1, toSeq, replayed}`; an incomplete one follows no event;
 * - after an open-connection `resume` from `lastSeq`, what arrives until its `resumed` is live
 *   events still contiguous with what came before, then (when `complete`) exactly the events
 *   `fromSeq … toSeq`, once each; live delivery then continues after the later of the two. That
 *   replay is the only place a `seq` may repeat;
 * - every event belongs to a run of this user (when the owner is known).
 *
 * Plain test support, imported by relative path (ws-core's and ws-redis's fan-out property,
 * chat-server's chaos test).
 */
import type { ResumedFrame, ServerFrame } from '@app/ws-protocol';

/** Options of {@link ConnectionSequenceCheck}. */
export interface ConnectionSequenceCheckOptions {
  /** The user the connection was opened for. */
  readonly userId: string;
  /** The `lastSeq` of a connect-time resume (`?lastSeq=N&epoch=E`), when the connection asked for one. */
  readonly connectResume?: number;
  /** The user a run belongs to; `undefined` when not known (yet). */
  readonly ownerOf: (runId: string) => string | undefined;
}

/** A resume this connection waits for: the connect-time one, or an open-connection request. */
interface PendingResume {
  readonly lastSeq: number;
  readonly atConnect: boolean;
}

/** Folds one connection's frames, in arrival order, into a list of {@link problems}. */
export class ConnectionSequenceCheck {
  /** Every breach seen so far, each a short sentence naming the frame. */
  readonly problems: string[] = [];
  /** `welcome.seq`, once the welcome arrived. */
  welcomeSeq: number | undefined;
  /** `welcome.epoch`, once the welcome arrived. */
  epoch = '';
  /** The next `seq` live delivery owes this connection. */
  expected = 0;
  /** Every `resumed` frame, in order. */
  readonly resumes: ResumedFrame[] = [];
  readonly #options: ConnectionSequenceCheckOptions;
  readonly #pending: PendingResume[] = [];
  /** Events received since the oldest pending resume's window opened. */
  #window: number[] = [];
  /** `expected` when that window opened. */
  #windowExpected = 0;
  #frames = 0;

  constructor(options: ConnectionSequenceCheckOptions) {
    this.#options = options;
  }

  /** Resumes requested (or, at connect time, announced) and not answered yet. */
  get pendingResumes(): number {
    return this.#pending.length;
  }

  /** The connection sent a `resume` message from `lastSeq`: a replay window opens. */
  resumeRequested(lastSeq: number): void {
    this.#open({ lastSeq, atConnect: false });
  }

  /** One frame, as received. */
  frame(frame: ServerFrame): void {
    const index = this.#frames++;
    if (frame.type === 'welcome') {
      if (index !== 0) this.#problem(`welcome as frame ${index + 1}`);
      if (frame.userId !== this.#options.userId)
        this.#problem(`welcome for ${frame.userId}, not ${this.#options.userId}`);
      this.welcomeSeq = frame.seq;
      this.epoch = frame.epoch;
      this.expected = frame.seq + 1;
      const lastSeq = this.#options.connectResume;
      if (lastSeq !== undefined) this.#open({ lastSeq, atConnect: true });
      return;
    }
    if (index === 0) this.#problem(`the first frame is ${frame.type}, not welcome`);
    if (frame.type === 'resumed') {
      this.#resumed(frame);
      return;
    }
    if (!('seq' in frame) || typeof frame.seq !== 'number') return;
    const owner = this.#options.ownerOf(frame.runId);
    if (owner !== undefined && owner !== this.#options.userId)
      this.#problem(`seq ${frame.seq} (${frame.type}) of ${owner}'s run ${frame.runId}`);
    if (this.#pending.length > 0) {
      this.#window.push(frame.seq);
      return;
    }
    this.#live(frame.seq);
  }

  #open(resume: PendingResume): void {
    if (this.#pending.length === 0) {
      this.#window = [];
      this.#windowExpected = this.expected;
    }
    this.#pending.push(resume);
  }

  #live(seq: number, where = ''): void {
    if (seq === this.expected) this.expected++;
    else if (seq > this.expected) {
      this.#problem(`gap: seq ${seq} where ${this.expected} was due${where}`);
      this.expected = seq + 1;
    } else this.#problem(`repeat: seq ${seq} where ${this.expected} was due${where}`);
  }

  #resumed(frame: ResumedFrame): void {
    this.resumes.push(frame);
    const pending = this.#pending.shift();
    if (pending === undefined) {
      this.#problem(`resumed ${frame.fromSeq}…${frame.toSeq} that nobody asked for`);
      return;
    }
    const what = `resumed {complete: ${frame.complete}, fromSeq: ${frame.fromSeq}, toSeq: ${frame.toSeq}, replayed: ${frame.replayed}}`;
    if (frame.replayed !== frame.toSeq - (frame.fromSeq - 1))
      this.#problem(`${what}: replayed is not toSeq − lastSeq`);
    if (frame.fromSeq !== pending.lastSeq + 1)
      this.#problem(`${what} answers a resume from lastSeq ${pending.lastSeq}`);
    const window = this.#window;
    const replayCount = frame.complete
      ? Math.max(0, frame.toSeq - frame.fromSeq + 1)
      : trailingRun(window, frame.toSeq, frame.fromSeq, frame.replayed);
    if (replayCount > window.length) {
      this.#problem(`${what} after only ${window.length} events: [${window.join(',')}]`);
    }
    const live = window.slice(0, Math.max(0, window.length - replayCount));
    const replay = window.slice(live.length);
    if (pending.atConnect && live.length > 0)
      this.#problem(`${what}: events before the replay at connect time: [${window.join(',')}]`);
    if (frame.complete) {
      const exact = Array.from({ length: replayCount }, (_unused, i) => frame.fromSeq + i);
      if (replay.join(',') !== exact.join(','))
        this.#problem(
          `${what} preceded by [${replay.join(',')}], not each of ${frame.fromSeq}…${frame.toSeq} once`,
        );
    }
    this.expected = this.#windowExpected;
    for (const seq of live) this.#live(seq, ` (live, before ${what})`);
    if (pending.atConnect) {
      // Live delivery continues after the replay, or after `welcome.seq` when it was incomplete.
      this.expected = frame.complete ? frame.toSeq + 1 : (this.welcomeSeq ?? 0) + 1;
    } else if (replay.length > 0) {
      this.expected = Math.max(this.expected, frame.toSeq + 1);
    }
    this.#window = [];
    this.#windowExpected = this.expected;
  }

  #problem(message: string): void {
    this.problems.push(message);
  }
}

/**
 * How many of `window`'s last events form an incomplete replay: a run of consecutive seqs
 * ending at `toSeq`, from `fromSeq` on, at most `replayed` long: an incomplete open-connection
 * resume replays what is still retained (docs/protocol.md#resume-on-an-open-connection).
 */
function trailingRun(
  window: readonly number[],
  toSeq: number,
  fromSeq: number,
  replayed: number,
): number {
  let count = 0;
  while (
    count < replayed &&
    count < window.length &&
    window[window.length - 1 - count] === toSeq - count &&
    toSeq - count >= fromSeq
  ) {
    count++;
  }
  return count;
}
