/** setTimeout's longest delay; a later deadline re-arms on the way. */
const MAX_TIMER_MS = 2_147_483_647;

/** Not in the queue. */
const UNQUEUED = -1;

/** An entry of an {@link ExpiryQueue}: a connection whose credentials expire. */
export interface ExpiryEntry {
  /**
   * The queue's bookkeeping, kept on the entry so that a connection costs no timer, closure or
   * map slot of its own: the deadline (ms since the epoch) and the position in the heap, -1 when
   * not queued. Set only by the queue; start with `expiryIndex = -1`.
   */
  expiryAt: number;
  expiryIndex: number;
}

/**
 * Credential deadlines of every connection of an endpoint, in a binary min-heap with one timer
 * armed for the earliest: scheduling, moving (an `auth` refresh) and cancelling cost O(log n) and
 * no allocation per entry. `onExpired` runs once per entry when its deadline has passed — never
 * synchronously, and never before the deadline (a timer that fires early re-arms).
 */
export class ExpiryQueue<T extends ExpiryEntry> {
  readonly #heap: T[] = [];
  readonly #onExpired: (entry: T) => void;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for. */
  #armedFor = Number.NaN;

  /**
   * @param onExpired called with each entry whose deadline has passed, after it left the queue
   * @param now clock in milliseconds (default `Date.now`)
   */
  constructor(onExpired: (entry: T) => void, now: () => number = Date.now) {
    this.#onExpired = onExpired;
    this.#now = now;
  }

  /** Entries waiting for their deadline. */
  get size(): number {
    return this.#heap.length;
  }

  /**
   * Queues `entry` for `expiresAt` (ms since the epoch), or moves it there if it is queued. A
   * deadline that is not a number (an Invalid Date's NaN) counts as already passed: it would
   * otherwise compare false with every other and stall the queue for every connection.
   */
  schedule(entry: T, deadline: number): void {
    const expiresAt = Number.isNaN(deadline) ? 0 : deadline;
    if (entry.expiryIndex === UNQUEUED) {
      entry.expiryAt = expiresAt;
      entry.expiryIndex = this.#heap.length;
      this.#heap.push(entry);
      this.#up(entry.expiryIndex);
    } else {
      const earlier = expiresAt < entry.expiryAt;
      entry.expiryAt = expiresAt;
      if (earlier) this.#up(entry.expiryIndex);
      else this.#down(entry.expiryIndex);
    }
    this.#arm();
  }

  /** Takes `entry` out of the queue; nothing happens if it is not queued. */
  cancel(entry: T): void {
    if (entry.expiryIndex === UNQUEUED) return;
    this.#remove(entry.expiryIndex);
    this.#arm();
  }

  /** Takes every entry out and stops the timer. */
  clear(): void {
    for (const entry of this.#heap) entry.expiryIndex = UNQUEUED;
    this.#heap.length = 0;
    this.#arm();
  }

  #expire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.NaN;
    const now = this.#now();
    const due: T[] = [];
    let first = this.#heap[0];
    while (first !== undefined && first.expiryAt <= now) {
      this.#remove(0);
      due.push(first);
      first = this.#heap[0];
    }
    this.#arm();
    for (const entry of due) this.#onExpired(entry);
  }

  /** Keeps the one timer armed for the earliest deadline, and none when the queue is empty. */
  #arm(): void {
    const first = this.#heap[0];
    if (first?.expiryAt === this.#armedFor) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.NaN;
    if (first === undefined) return;
    const delay = Math.min(Math.max(0, first.expiryAt - this.#now()), MAX_TIMER_MS);
    this.#armedFor = first.expiryAt;
    this.#timer = setTimeout(() => this.#expire(), delay);
    this.#timer.unref();
  }

  #remove(index: number): void {
    const heap = this.#heap;
    const removed = heap[index];
    const last = heap.pop();
    if (removed === undefined || last === undefined) return;
    removed.expiryIndex = UNQUEUED;
    if (last === removed) return;
    heap[index] = last;
    last.expiryIndex = index;
    this.#up(index);
    this.#down(last.expiryIndex);
  }

  #up(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    let at = index;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt]!;
      if (parent.expiryAt <= entry.expiryAt) break;
      heap[at] = parent;
      parent.expiryIndex = at;
      at = parentAt;
    }
    heap[at] = entry;
    entry.expiryIndex = at;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    const length = heap.length;
    let at = index;
    for (;;) {
      const leftAt = 2 * at + 1;
      if (leftAt >= length) break;
      const rightAt = leftAt + 1;
      let childAt = leftAt;
      if (rightAt < length && heap[rightAt]!.expiryAt < heap[leftAt]!.expiryAt) childAt = rightAt;
      const child = heap[childAt]!;
      if (entry.expiryAt <= child.expiryAt) break;
      heap[at] = child;
      child.expiryIndex = at;
      at = childAt;
    }
    heap[at] = entry;
    entry.expiryIndex = at;
  }
}
