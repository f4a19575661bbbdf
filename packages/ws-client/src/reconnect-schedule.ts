import { computeBackoffDelay } from './backoff.js';
import type { ChatClientOptions } from './client-options.js';

/**
 * When the next connection attempt starts: exponential backoff with full jitter over the attempts
 * that failed since the last `welcome` (see `computeBackoffDelay`), and the timer that waits it out.
 */
export class ReconnectSchedule {
  readonly #options: Pick<ChatClientOptions, 'backoff' | 'random'>;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @param options the client's `backoff` (250 ms base, 30 s cap) and `random` (`Math.random`) */
  constructor(options: Pick<ChatClientOptions, 'backoff' | 'random'>) {
    this.#options = options;
  }

  /** The delay before the next attempt, at least `minDelayMs`; counts one more failed attempt. */
  nextDelay(minDelayMs: number): number {
    const delay = Math.max(
      minDelayMs,
      computeBackoffDelay(this.#attempt, {
        ...this.#options.backoff,
        random: this.#options.random,
      }),
    );
    this.#attempt += 1;
    return delay;
  }

  /** Runs `attempt` after `delayMs`. */
  wait(delayMs: number, attempt: () => void): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      attempt();
    }, delayMs);
  }

  /** A `welcome` arrived: the next drop starts the backoff over. */
  reset(): void {
    this.#attempt = 0;
  }

  /** Cancels the waiting attempt, if any (the client stopped). */
  cancel(): void {
    clearTimeout(this.#timer);
  }
}
