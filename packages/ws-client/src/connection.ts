import type { ClientMessage, MessageId } from '@app/ws-protocol';
import type { ConnectCredential } from './connect-request.js';
import { DEFAULT_PONG_TIMEOUT_MS, LivenessMonitor, type LivenessOptions } from './liveness.js';
import { createMessageId } from './message-id.js';
import { TokenRefresher } from './token-refresh.js';
import type { WebSocketLike } from './websocket-like.js';

/** Used when a `welcome` carries no usable `heartbeatMs`. */
const FALLBACK_HEARTBEAT_MS = 25_000;

function noop(): void {}

/** How a {@link Connection} times out and reports to its client (each callback names the connection). */
export interface ConnectionOptions {
  /** How long after the attempt started its `welcome` may take. */
  connectTimeoutMs: number;
  onMessage(connection: Connection, data: unknown): void;
  onClose(connection: Connection, code: number, reason: string): void;
  /** The attempt ran out of `connectTimeoutMs` without a `welcome`. */
  onConnectTimeout(connection: Connection): void;
}

/**
 * One WebSocket, from the attempt that opened it until it closed, and everything that lives only as
 * long as it: the connect timeout, the liveness checks, the token refresh and the client's own
 * `auth`/`resume` messages awaiting an answer. The client keeps the current one and ignores
 * anything a replaced connection reports.
 */
export class Connection {
  readonly #socket: WebSocketLike;
  /** The JWT the connection was opened with; `undefined` when it was opened with a ticket. */
  readonly #token: string | undefined;
  /** The client's own `auth` and `resume` messages awaiting an answer on this connection. */
  readonly #internal = new Map<MessageId, 'auth' | 'resume'>();
  #welcomed = false;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #refresher: TokenRefresher | undefined;
  #liveness: LivenessMonitor | undefined;

  /** Takes over the handlers of `socket`, opened with `credential`, and starts the connect timeout. */
  constructor(socket: WebSocketLike, credential: ConnectCredential, options: ConnectionOptions) {
    this.#socket = socket;
    this.#token = 'token' in credential ? credential.token : undefined;
    socket.onopen = noop;
    socket.onerror = noop; // a `close` event always follows
    socket.onmessage = (event) => {
      options.onMessage(this, event.data);
    };
    socket.onclose = (event) => {
      options.onClose(this, event.code, event.reason);
    };
    this.#connectTimer = setTimeout(() => {
      options.onConnectTimeout(this);
    }, options.connectTimeoutMs);
  }

  /** Whether the connection's `welcome` arrived (frames other than `welcome` are then expected). */
  get welcomed(): boolean {
    return this.#welcomed;
  }

  /** A `welcome` arrived: the connect timeout no longer applies. */
  stopConnectTimer(): void {
    clearTimeout(this.#connectTimer);
  }

  /** The `welcome` was accepted: messages may be sent from now on. */
  markWelcomed(): void {
    this.#welcomed = true;
  }

  /** A frame arrived: the connection is alive. */
  touch(): void {
    this.#liveness?.touch();
  }

  /** Sends on this connection once welcomed; false otherwise (the message waits or is dropped). */
  send(message: ClientMessage): boolean {
    if (!this.#welcomed) return false;
    try {
      this.#socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false; // the socket is going away; its `close` follows
    }
  }

  /** Sends `auth` with `token`, remembering its id so that its answer is recognised. */
  sendAuth(token: string): void {
    const id = createMessageId();
    this.#internal.set(id, 'auth');
    this.send({ type: 'auth', id, token });
  }

  /** Sends `resume` from `lastSeq` of `epoch`, remembering its id so that its answer is recognised. */
  sendResume(lastSeq: number, epoch: string): void {
    const id = createMessageId();
    this.#internal.set(id, 'resume');
    this.send({ type: 'resume', id, lastSeq, epoch });
  }

  /** Forgets the `auth`/`resume` message that `ref` answers; returns which one it was, if any. */
  settleInternal(ref: MessageId): 'auth' | 'resume' | undefined {
    const kind = this.#internal.get(ref);
    this.#internal.delete(ref);
    return kind;
  }

  /**
   * Pings on silence and calls `onDead` when not even the ping is answered; see `LivenessMonitor`.
   * `options === false` turns the checks off.
   *
   * @param heartbeatMs the `welcome`'s `heartbeatMs`: the default silence before a ping (25 s when unusable)
   */
  watchLiveness(
    options: LivenessOptions | false | undefined,
    heartbeatMs: number,
    onDead: () => void,
  ): void {
    if (options === false) return;
    const idleMs =
      heartbeatMs > 0 && Number.isFinite(heartbeatMs) ? heartbeatMs : FALLBACK_HEARTBEAT_MS;
    this.#liveness = new LivenessMonitor({
      idleMs: options?.idleMs ?? idleMs,
      timeoutMs: options?.timeoutMs ?? DEFAULT_PONG_TIMEOUT_MS,
      onIdle: () => {
        this.send({ type: 'ping' });
      },
      onDead,
    });
  }

  /**
   * Keeps this connection's JWT fresh through `auth`. A connection opened with a ticket lives as
   * long as the JWT that obtained the ticket, so `fetchToken` is asked once to learn its `exp`.
   */
  keepTokenFresh(
    refreshBeforeExpiryMs: number,
    fetchToken: () => Promise<string | undefined>,
  ): void {
    const refresher = new TokenRefresher({
      refreshBeforeExpiryMs,
      fetchToken,
      sendAuth: (token) => {
        this.sendAuth(token);
      },
    });
    this.#refresher = refresher;
    if (this.#token !== undefined) {
      refresher.watch(this.#token);
      return;
    }
    void fetchToken().then((token) => {
      if (token !== undefined) refresher.watch(token);
    });
  }

  /** Stops everything scoped to this connection and stops listening to its socket. */
  detach(): void {
    this.#socket.onmessage = noop;
    this.#socket.onclose = noop;
    clearTimeout(this.#connectTimer);
    this.#refresher?.stop();
    this.#refresher = undefined;
    this.#liveness?.stop();
    this.#liveness = undefined;
    this.#internal.clear();
    this.#welcomed = false;
  }

  /**
   * Closes the socket without letting a late `error` event escape (`ws` emits one when closing
   * while connecting). `code` undefined closes without a code.
   */
  close(code: number | undefined, reason: string): void {
    const socket = this.#socket;
    socket.onerror = noop;
    socket.onclose = noop;
    socket.onmessage = noop;
    try {
      if (code === undefined) socket.close();
      else socket.close(code, reason);
    } catch {
      // already closed, or a code the implementation refuses: nothing left to do
    }
  }
}
