/**
 * Counts strikes (refused or invalid frames) within a sliding time window, to tell a burst from
 * sustained abuse. Memory is bounded by `limit`: only the newest `limit` strikes are kept.
 */
export class StrikeWindow {
  readonly #windowMs: number;
  readonly #limit: number;
  readonly #now: () => number;
  readonly #strikes: number[] = [];

  /**
   * @param limit the count at which {@link StrikeWindow.strike} reports `true`
   * @param windowMs how far back strikes count
   * @param now clock in milliseconds (default `Date.now`)
   */
  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.#limit = Math.max(1, limit);
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Records a strike; true when `limit` strikes now fall within the window. */
  strike(): boolean {
    const at = this.#now();
    this.#strikes.push(at);
    while (this.#strikes.length > this.#limit) this.#strikes.shift();
    const oldest = this.#strikes[0];
    return (
      this.#strikes.length >= this.#limit && oldest !== undefined && at - oldest < this.#windowMs
    );
  }
}
