/** First chunk of a stream: small, since most users have few events. */
const FIRST_CHUNK_BYTES = 2048;
/** Chunks grow by doubling up to this (a larger event gets a chunk of its own size). */
const MAX_CHUNK_BYTES = 64 * 1024;
/** Numbers kept per entry: chunk serial, offset, byte length, time. */
const STRIDE = 4;

/**
 * The retained event texts of one user stream, kept outside the JavaScript heap.
 *
 * Retention holds up to maxEvents texts per user for minutes. Held as strings, every one of
 * them is copied by the young-generation collector and then marked again and again by the
 * old-generation one: measured, that cost more than producing the event. Here each text is
 * written once, as UTF-8, into append-only byte chunks (Buffers, off-heap), and an entry is
 * four numbers in a ring (a typed array growing up to `capacity` entries). A chunk is freed
 * once its last entry left retention — except one full-size chunk kept as a spare for the next
 * one: a stream at its retention bound frees one chunk for every one it starts, and recycling
 * it spares an allocation of external memory per chunk (which V8 counts towards starting a
 * full garbage collection). Reading a text back (replay only) decodes it.
 */
export class RetainedEvents {
  /** Live chunks, oldest first; `#firstChunk` is the serial number of `#chunks[0]`. */
  readonly #chunks: Buffer[] = [];
  #firstChunk = 0;
  #used = 0;
  #nextChunkBytes = FIRST_CHUNK_BYTES;
  /** A freed full-size chunk, reused for the next one (dropped when nothing is retained). */
  #spare: Buffer | undefined;
  #meta = new Float64Array(8 * STRIDE);
  /** Entry slots in `#meta` (grows up to capacity). */
  #slots = 8;
  #head = 0;
  #size = 0;
  /** UTF-8 bytes of the retained texts (what retention's byte bound counts). */
  #textBytes = 0;

  /**
   * @param capacity At most this many entries (the oldest is dropped past it); `Infinity` when
   *   the owner trims by its own rules.
   */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#size;
  }

  /** UTF-8 bytes of the retained texts themselves. */
  get textBytes(): number {
    return this.#textBytes;
  }

  /** Bytes of chunk memory held (for diagnostics and tests). */
  get bytes(): number {
    let total = this.#spare?.length ?? 0;
    for (const chunk of this.#chunks) total += chunk.length;
    return total;
  }

  /** The oldest entry's time, if any. */
  firstTime(): number | undefined {
    return this.#size === 0 ? undefined : this.#meta[this.#head * STRIDE + 3];
  }

  /** Retains `text` appended at `time`; drops the oldest entry when full. */
  push(text: string, time: number): void {
    if (this.#size === this.capacity) this.shift();
    else if (this.#size === this.#slots) this.#grow();
    const worst = text.length * 3;
    let chunk = this.#chunks[this.#chunks.length - 1];
    if (chunk === undefined || chunk.length - this.#used < worst) {
      const wanted = Math.max(this.#nextChunkBytes, worst);
      const spare = this.#spare;
      if (spare !== undefined && wanted <= spare.length) {
        chunk = spare;
        this.#spare = undefined;
      } else {
        chunk = Buffer.allocUnsafeSlow(wanted);
      }
      this.#nextChunkBytes = Math.min(MAX_CHUNK_BYTES, this.#nextChunkBytes * 2);
      this.#chunks.push(chunk);
      this.#used = 0;
    }
    // The chunk has room for the worst case (3 bytes per UTF-16 unit), so nothing is cut off.
    const written = chunk.write(text, this.#used, 'utf8');
    let slot = this.#head + this.#size;
    if (slot >= this.#slots) slot -= this.#slots;
    const at = slot * STRIDE;
    const meta = this.#meta;
    meta[at] = this.#firstChunk + this.#chunks.length - 1;
    meta[at + 1] = this.#used;
    meta[at + 2] = written;
    meta[at + 3] = time;
    this.#size++;
    this.#used += written;
    this.#textBytes += written;
  }

  /** Drops the oldest entry, and its chunk when no entry uses it any more. */
  shift(): void {
    if (this.#size === 0) return;
    this.#textBytes -= this.#meta[this.#head * STRIDE + 2]!;
    this.#head = this.#head + 1 === this.#slots ? 0 : this.#head + 1;
    this.#size--;
    // Keep the newest chunk (it is being filled) even when nothing is retained.
    const keepFrom =
      this.#size === 0
        ? this.#firstChunk + this.#chunks.length - 1
        : this.#meta[this.#head * STRIDE]!;
    while (this.#firstChunk < keepFrom) {
      const freed = this.#chunks.shift()!;
      if (freed.length === MAX_CHUNK_BYTES) this.#spare = freed;
      this.#firstChunk++;
    }
    if (this.#size === 0) this.#spare = undefined;
  }

  /** The text of the entry at `index` from the oldest (0). */
  textAt(index: number): string | undefined {
    if (index < 0 || index >= this.#size) return undefined;
    const at = ((this.#head + index) % this.#slots) * STRIDE;
    const meta = this.#meta;
    const chunk = this.#chunks[meta[at]! - this.#firstChunk]!;
    const offset = meta[at + 1]!;
    return chunk.toString('utf8', offset, offset + meta[at + 2]!);
  }

  #grow(): void {
    const slots = Math.min(this.capacity, this.#slots * 2);
    const meta = new Float64Array(slots * STRIDE);
    for (let i = 0; i < this.#size; i++) {
      const from = ((this.#head + i) % this.#slots) * STRIDE;
      meta.set(this.#meta.subarray(from, from + STRIDE), i * STRIDE);
    }
    this.#meta = meta;
    this.#slots = slots;
    this.#head = 0;
  }
}
