/** Client-side liveness checks. */
export interface LivenessOptions {
  /** Silence (no frame at all) after which the client sends a `ping`. Default: `welcome.heartbeatMs`. */
  idleMs?: number;
  /** How long after that `ping` a frame must arrive, else the connection counts as dead. Default 10,000 ms. */
  timeoutMs?: number;
}

/** The default of {@link LivenessOptions.timeoutMs}. */
export const DEFAULT_PONG_TIMEOUT_MS = 10_000;

/**
 * Notices a dead connection the browser has not noticed: a laptop that slept, a proxy that
 * dropped the flow. The server's WebSocket pings are invisible to browser code, so after `idleMs`
 * without any frame the client sends a protocol `ping`; if nothing arrives within `timeoutMs`
 * after it, `onDead` runs (the client then drops the socket and reconnects as after close 4408).
 */
export class LivenessMonitor {
  readonly #idleMs: number;
  readonly #timeoutMs: number;
  readonly #onIdle: () => void;
  readonly #onDead: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: {
    idleMs: number;
    timeoutMs: number;
    onIdle: () => void;
    onDead: () => void;
  }) {
    this.#idleMs = options.idleMs;
    this.#timeoutMs = options.timeoutMs;
    this.#onIdle = options.onIdle;
    this.#onDead = options.onDead;
    this.touch();
  }

  /** A frame arrived: the connection is alive; the silence count starts again. */
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = setTimeout(this.#onDead, this.#timeoutMs);
      this.#onIdle();
    }, this.#idleMs);
  }

  /** Stops watching (the connection closed). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
