import { type TimerHandle, unrefTimeout } from './timers';

/**
 * Notices a run that has been silent for `stallMs`. Events only record the time: one timer,
 * re-armed for the remaining time when it fires early, costs nothing per event.
 * @internal
 */
export class StallWatchdog {
  readonly stallMs: number;
  readonly #onStall: () => void;
  #lastActivityAt: number;
  #timer: TimerHandle | undefined;

  /** `onStall` is called once `stallMs` passed without {@link touch}. */
  constructor(stallMs: number, now: number, onStall: () => void) {
    this.stallMs = stallMs;
    this.#lastActivityAt = now;
    this.#onStall = onStall;
  }

  /** Starts watching. */
  start(): void {
    this.#arm(this.stallMs);
  }

  /** Records activity at `now`. */
  touch(now: number): void {
    this.#lastActivityAt = now;
  }

  /** Stops watching. */
  stop(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #arm(delayMs: number): void {
    this.#timer = unrefTimeout(() => this.#check(), delayMs);
  }

  #check(): void {
    const idle = Date.now() - this.#lastActivityAt;
    if (idle < this.stallMs) {
      this.#arm(this.stallMs - idle);
      return;
    }
    this.#onStall();
  }
}
