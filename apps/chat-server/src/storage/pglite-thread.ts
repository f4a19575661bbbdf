import { Duplex } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@app/logging-ssot';
import type { FromPgliteWorker, ToPgliteWorker } from './pglite-worker-messages.js';

/**
 * The worker's entry: the built one beside the bundle, or from sources through tsx (tests and
 * `node --import tsx src/main.ts`).
 */
function workerUrl(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './pglite-worker-dev.mjs' : './pglite-worker.js', import.meta.url);
}

/** The type byte of the wire protocol's Terminate message. */
const TERMINATE = 0x58;

interface Pending {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

/**
 * PGlite in a worker thread (`pglite-worker.ts`): its WASM Postgres runs off the server's event
 * loop, and the server talks to it in the PostgreSQL wire protocol over messages — `pg` connects
 * through {@link PgliteThread.connection} as it would over TCP, so the SQL, types and
 * transactions are those of PostgreSQL. One connection: PGlite is one session.
 */
export class PgliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker, logger: Logger) {
    this.#worker = worker;
    worker.on('message', (message: FromPgliteWorker) => {
      if (message.type === 'answer') this.#settle(message.id)?.resolve(message.bytes);
      else if (message.type === 'error')
        this.#settle(message.id)?.reject(new Error(message.message));
      else if (message.type === 'log') logger[message.level](message.message, message.fields);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the PGlite worker exited (${code})`)));
  }

  /**
   * Starts the worker and opens PGlite in `dataDir` (in memory without one); resolves once it
   * is ready. The caller holds the data directory's lock.
   */
  static async start(dataDir: string | undefined, logger: Logger): Promise<PgliteThread> {
    const worker = new Worker(workerUrl(), { workerData: { dataDir } });
    const thread = new PgliteThread(worker, logger);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromPgliteWorker): void => {
        if (message.type === 'ready') done(resolve);
        else if (message.type === 'failed') done(() => reject(new Error(message.message)));
      };
      const onExit = (code: number): void =>
        done(() => reject(new Error(`the PGlite worker exited (${code}) before it was ready`)));
      const done = (then: () => void): void => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        then();
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
    return thread;
  }

  /** Executes whole wire protocol messages; resolves with PGlite's answer. */
  exec(bytes: Uint8Array): Promise<Uint8Array> {
    if (this.#failure !== undefined || this.#closing !== undefined) {
      return Promise.reject(this.#failure ?? new Error('the PGlite worker is closed'));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const message: ToPgliteWorker = { type: 'exec', id, bytes };
      this.#worker.postMessage(message);
    });
  }

  /** A `pg` connection stream to the worker's database (the Pool's `stream` option). */
  connection(): Duplex {
    return new PgliteWire(this);
  }

  /**
   * Closes PGlite (its files synced and closed) and ends the worker; past `timeoutMs` the worker
   * is terminated. End the `pg` pool first. Idempotent.
   */
  close(timeoutMs = 10_000): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#failure !== undefined) return;
      const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
      const message: ToPgliteWorker = { type: 'close' };
      this.#worker.postMessage(message);
      const timer = setTimeout(() => void this.#worker.terminate(), timeoutMs);
      await exited;
      clearTimeout(timer);
    })();
    return this.#closing;
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    return pending;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/**
 * What `pg` writes to "its socket", sent to the worker as whole messages (the writes of one
 * turn together: a query's Parse, Bind, Describe, Execute and Sync in one request), and what
 * the worker answers, read by `pg` in order.
 */
class PgliteWire extends Duplex {
  readonly #thread: PgliteThread;
  #chunks: Buffer[] = [];
  #flushing = false;
  /** The first message (startup) has no type byte. */
  #startupSent = false;
  #sent: Promise<void> = Promise.resolve();

  constructor(thread: PgliteThread) {
    super();
    this.#thread = thread;
  }

  // The net.Socket surface pg uses.
  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.#chunks.push(chunk);
    if (!this.#flushing) {
      this.#flushing = true;
      process.nextTick(() => this.#flush());
    }
    callback();
  }

  override _final(callback: () => void): void {
    void this.#sent.finally(() => {
      this.push(null);
      callback();
    });
  }

  #flush(): void {
    this.#flushing = false;
    const bytes = Buffer.concat(this.#chunks);
    const whole = this.#wholeMessages(bytes);
    this.#chunks = whole < bytes.length ? [bytes.subarray(whole)] : [];
    // Terminate ('X') ends the session: PGlite has nothing to do with it, the stream ends.
    if (whole === 0 || (whole === 5 && bytes[0] === TERMINATE)) return;
    const request = bytes.subarray(0, whole);
    this.#sent = this.#sent.then(() =>
      this.#thread.exec(request).then(
        (answer) => {
          if (answer.length > 0)
            this.push(Buffer.from(answer.buffer, answer.byteOffset, answer.length));
        },
        (error: unknown) => {
          if (this.destroyed || this.writableEnded) return;
          this.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      ),
    );
  }

  /** How many leading bytes of `bytes` are whole protocol messages. */
  #wholeMessages(bytes: Buffer): number {
    let offset = 0;
    for (;;) {
      const header = this.#startupSent ? 1 : 0;
      if (bytes.length < offset + header + 4) return offset;
      const length = bytes.readUInt32BE(offset + header);
      if (bytes.length < offset + header + length) return offset;
      offset += header + length;
      this.#startupSent = true;
    }
  }
}
