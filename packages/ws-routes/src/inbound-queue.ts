import type { RawData } from 'ws';

/** Frames received and not yet handled past this count pause reading from the socket. */
const INBOUND_QUEUE_HIGH = 32;

/** An inbound frame waiting for its turn. */
type QueuedFrame = readonly [data: RawData, isBinary: boolean];

/** What an {@link InboundQueue} throttles and runs its frames through. */
export interface InboundQueueTarget {
  readonly socket: { pause(): void; resume(): void };
  handle(data: RawData, isBinary: boolean): Promise<void>;
  /** A frame's handler threw; the frames after it still run. */
  failed(error: unknown): void;
  /** The last waiting frame has been handled: the queue holds nothing and can be dropped. */
  emptied(): void;
}

/**
 * One connection's inbound frames, handled one after another in arrival order once the queue
 * is open. Reading from the socket pauses while more than 32 frames are received and not yet
 * handled, and resumes once half of them are, so a fast sender cannot grow the queue unbounded.
 */
export class InboundQueue {
  readonly #target: InboundQueueTarget;
  readonly #frames: QueuedFrame[] = [];
  /** Frames received and not yet handled (waiting, or the one running). */
  #queued = 0;
  #open: boolean;
  #draining = false;
  #paused = false;

  /** @param open whether frames run as they arrive; otherwise they wait for {@link open}. */
  constructor(target: InboundQueueTarget, open: boolean) {
    this.#target = target;
    this.#open = open;
  }

  push(data: RawData, isBinary: boolean): void {
    this.#queued += 1;
    if (this.#queued > INBOUND_QUEUE_HIGH && !this.#paused) {
      this.#paused = true;
      this.#target.socket.pause();
    }
    this.#frames.push([data, isBinary]);
    if (this.#open && !this.#draining) void this.#drain();
  }

  /** Lets the waiting frames run, and those that arrive from now on. */
  open(): void {
    this.#open = true;
    if (!this.#draining && this.#frames.length > 0) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      for (let frame = this.#frames.shift(); frame !== undefined; frame = this.#frames.shift()) {
        try {
          await this.#target.handle(frame[0], frame[1]);
        } catch (error) {
          this.#target.failed(error);
        }
        this.#queued -= 1;
        if (this.#paused && this.#queued <= INBOUND_QUEUE_HIGH / 2) {
          this.#paused = false;
          this.#target.socket.resume();
        }
      }
    } finally {
      this.#draining = false;
      this.#target.emptied();
    }
  }
}
