/**
 * A bounded FIFO that drops its oldest item when full. It grows on demand up to `capacity`, so
 * a stream with few events costs little memory. push, shift and indexed reads are O(1).
 */
export class RingBuffer<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #size = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#size;
  }

  /** The oldest item. */
  first(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /** The item at `index` from the oldest (0). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#size) return undefined;
    return this.#items[(this.#head + index) % this.#items.length];
  }

  /** Appends; when full, the oldest item is dropped. */
  push(item: T): void {
    const items = this.#items;
    if (this.#size < items.length) {
      items[(this.#head + this.#size) % items.length] = item;
      this.#size++;
      return;
    }
    if (items.length < this.capacity) {
      this.#grow();
      this.#items[this.#size] = item;
      this.#size++;
      return;
    }
    items[this.#head] = item;
    this.#head = (this.#head + 1) % items.length;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return item;
  }

  #grow(): void {
    const next = new Array<T | undefined>(
      Math.min(this.capacity, Math.max(8, this.#items.length * 2)),
    );
    for (let i = 0; i < this.#size; i++) next[i] = this.at(i);
    this.#items = next;
    this.#head = 0;
  }
}
