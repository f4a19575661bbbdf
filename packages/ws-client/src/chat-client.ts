import type {
  ChatEvent,
  ClientMessage,
  ControlFrame,
  ErrorFrame,
  MessageId,
  ResumedFrame,
  WelcomeFrame,
} from '@app/ws-protocol';
import { computeBackoffDelay } from './backoff.js';
import type { ChatClientEvents, ConnectionState, StateChange } from './client-events.js';
import type {
  CancelOptions,
  ChatClientOptions,
  ChatOptions,
  ChatResult,
  CredentialReason,
} from './client-options.js';
import {
  DEFAULT_RATE_LIMIT_DELAY_MS,
  getCloseAction,
  isTerminalCloseAction,
} from './close-policy.js';
import { buildConnectRequest, type ConnectCredential } from './connect-request.js';
import { ChatClientError } from './errors.js';
import { EventSequencer, type SequencerOutcome, type StreamPosition } from './event-sequencer.js';
import { DEFAULT_PONG_TIMEOUT_MS, LivenessMonitor } from './liveness.js';
import { createMessageId } from './message-id.js';
import { checkChatMessage } from './outbound-limits.js';
import { PendingRequests, type RequestMessage } from './pending-requests.js';
import { readServerFrame } from './read-server-frame.js';
import { DEFAULT_REFRESH_BEFORE_EXPIRY_MS, TokenRefresher } from './token-refresh.js';
import { type Listener, TypedEmitter } from './typed-emitter.js';
import type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';
import { SUPPORTED_PROTOCOL } from './wire-constants.js';

/** Default of `requestTimeoutMs`: how long `chat()`/`cancel()` wait for their `ack`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Default of `connectTimeoutMs`: an attempt without `welcome` this long after it started failed. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Used when a `welcome` carries no usable `heartbeatMs`. */
const FALLBACK_HEARTBEAT_MS = 25_000;

/** A client of the chat socket protocol v1; see {@link createChatClient}. */
export interface ChatClient {
  /** The connection's current state. */
  readonly state: ConnectionState;
  /**
   * The last delivered `seq` and its epoch; `undefined` before the first `welcome`. Pass it as the
   * `position` option of a later client to resume where this one stopped.
   */
  readonly position: StreamPosition | undefined;
  /**
   * Listens to `type` (see {@link ChatClientEvents}); the listener's payload is typed by it.
   * Returns the function that removes the listener.
   */
  on<K extends keyof ChatClientEvents>(
    type: K,
    listener: Listener<ChatClientEvents[K]>,
  ): () => void;
  /**
   * Sends `{type: 'chat', id, text, threadId?, agent?}` and resolves with the `runId` and `threadId`
   * of its `ack`. Waits for the connection when it is not open; if the connection drops before the
   * `ack`, sends the same message (same `id`) again on the next connection — the server starts one
   * run per `id`. Rejects with a {@link ChatClientError}: the wire `code` of a matching `error`
   * frame (`unknown_agent`, `too_many_runs`, `rate_limited`, …), `invalid_message` for a text the
   * server would refuse (checked before sending), `request_timeout` after `timeoutMs`
   * (`requestTimeoutMs`, 30 s), `client_closed`/`connection_closed` when the client stops.
   */
  chat(text: string, options?: ChatOptions): Promise<ChatResult>;
  /**
   * Sends `{type: 'cancel', id, runId}`; resolves on its `ack` (the run then ends with
   * `agent_completed` status `cancelled`). Rejects with code `not_found` for an unknown, finished
   * or another user's run, and like `chat()` otherwise. Re-sent after a drop like `chat()`, so a
   * cancel whose first copy already took effect answers `not_found`.
   */
  cancel(runId: string, options?: CancelOptions): Promise<void>;
  /** Closes the connection with 1000 and stops for good; pending requests reject with `client_closed`. */
  close(): void;
}

/**
 * Connects to the chat endpoint and keeps the user's event stream flowing over drops:
 *
 * - before every attempt, fresh credentials: `getToken()` offered as `bearer.<JWT>` next to
 *   `chat.v1`, or `getTicket()` as `?ticket=` with only `chat.v1`;
 * - a close before `welcome` is a failed attempt (browsers cannot read a refused upgrade's status);
 * - unexpected closes reconnect with exponential backoff and full jitter (`backoff`, 250 ms base,
 *   30 s cap; the attempt count resets at each `welcome`), honouring the close codes of protocol §6
 *   (see `getCloseAction`), and resume at connect time with `?lastSeq=N&epoch=E`;
 * - every stream event reaches the application once, in `seq` order (see `EventSequencer`); lost
 *   events surface as `reset`;
 * - `auth` with a fresh token `refreshBeforeExpiryMs` (60 s) before the JWT's `exp`.
 *
 * The first attempt starts right away (after the listeners attached in the same tick).
 *
 * @throws ChatClientError `invalid_options` when there is no WebSocket class or `url` is not a URL
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  return new SocketChatClient(options);
}

function noop(): void {}

class SocketChatClient implements ChatClient {
  readonly #options: ChatClientOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #emitter = new TypedEmitter<ChatClientEvents>();
  readonly #sequencer: EventSequencer;
  readonly #requests: PendingRequests;
  /** The client's own `auth` and `resume` messages awaiting an answer on the current connection. */
  readonly #internal = new Map<MessageId, 'auth' | 'resume'>();
  #state: ConnectionState = 'connecting';
  #stopped = false;
  #socket: WebSocketLike | undefined;
  #welcomed = false;
  #attempt = 0;
  /** Bumped per attempt and on stop, so a late credential answers nobody. */
  #attemptSerial = 0;
  #credentialReason: CredentialReason = 'connect';
  #connectToken: string | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #refresher: TokenRefresher | undefined;
  #liveness: LivenessMonitor | undefined;

  constructor(options: ChatClientOptions) {
    const WebSocketClass =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketClass) {
      throw new ChatClientError(
        'invalid_options',
        'No WebSocket class: pass the `WebSocket` option (e.g. the `ws` package) where there is no global one',
      );
    }
    try {
      buildConnectRequest(options.url, { ticket: '' });
    } catch (cause) {
      throw new ChatClientError('invalid_options', `Not a URL: ${options.url}`, { cause });
    }
    this.#options = options;
    this.#WebSocket = WebSocketClass;
    this.#sequencer = new EventSequencer(options.position);
    this.#requests = new PendingRequests((message) => {
      this.#send(message);
    });
    void this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get position(): StreamPosition | undefined {
    return this.#sequencer.position;
  }

  on<K extends keyof ChatClientEvents>(
    type: K,
    listener: Listener<ChatClientEvents[K]>,
  ): () => void {
    return this.#emitter.on(type, listener);
  }

  async chat(text: string, options: ChatOptions = {}): Promise<ChatResult> {
    const message: RequestMessage = {
      type: 'chat',
      id: options.id ?? createMessageId(),
      text,
      ...(options.threadId === undefined ? {} : { threadId: options.threadId }),
      ...(options.agent === undefined ? {} : { agent: options.agent }),
    };
    const invalid = checkChatMessage(message);
    if (invalid) throw invalid;
    const ack = await this.#request(message, options.timeoutMs);
    if (typeof ack.runId !== 'string' || typeof ack.threadId !== 'string') {
      throw new ChatClientError('invalid_frame', 'The ack of a chat carries no runId/threadId', {
        ref: ack.ref,
      });
    }
    return { runId: ack.runId, threadId: ack.threadId };
  }

  async cancel(runId: string, options: CancelOptions = {}): Promise<void> {
    await this.#request(
      { type: 'cancel', id: options.id ?? createMessageId(), runId },
      options.timeoutMs,
    );
  }

  close(): void {
    if (this.#stopped) return;
    const socket = this.#socket;
    if (socket) {
      this.#teardown();
      closeQuietly(socket, 1000, 'client closed');
    }
    this.#stop(
      new ChatClientError('client_closed', 'The client was closed'),
      1000,
      'client closed',
    );
  }

  #request(message: RequestMessage, timeoutMs: number | undefined) {
    if (this.#stopped) {
      return Promise.reject(new ChatClientError('client_closed', 'The client is closed'));
    }
    return this.#requests.add(
      message,
      timeoutMs ?? this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
  }

  // ── connecting ──────────────────────────────────────────────────────────────────────────────

  async #connect(): Promise<void> {
    const serial = ++this.#attemptSerial;
    const reason = this.#credentialReason;
    // `rejected` holds until a welcome: a provider that caches must not hand back the refused token.
    if (reason === 'connect') this.#credentialReason = 'reconnect';
    const credential = await this.#fetchCredential(reason);
    if (serial !== this.#attemptSerial || this.#stopped) return;
    if (!credential) {
      this.#retry(undefined, undefined, 0);
      return;
    }
    let socket: WebSocketLike;
    try {
      const request = buildConnectRequest(this.#options.url, credential, this.#sequencer.position);
      socket = new this.#WebSocket(request.url, request.protocols);
    } catch (cause) {
      // e.g. a credential with characters a subprotocol cannot carry: the next one may be fine.
      this.#emitter.emit(
        'error',
        new ChatClientError('invalid_options', 'Could not open a WebSocket', { cause }),
      );
      this.#retry(undefined, undefined, 0);
      return;
    }
    this.#connectToken = 'token' in credential ? credential.token : undefined;
    this.#socket = socket;
    this.#welcomed = false;
    socket.onopen = noop;
    socket.onerror = noop; // a `close` event always follows
    socket.onmessage = (event) => {
      this.#onMessage(socket, event.data);
    };
    socket.onclose = (event) => {
      this.#onClose(socket, event.code, event.reason);
    };
    this.#connectTimer = setTimeout(() => {
      this.#drop(socket, 1006, 'no welcome in time');
    }, this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  }

  async #fetchCredential(reason: CredentialReason): Promise<ConnectCredential | undefined> {
    const { getTicket } = this.#options;
    if (getTicket) {
      const ticket = await this.#callProvider(() => getTicket({ reason }));
      return ticket === undefined ? undefined : { ticket };
    }
    const token = await this.#callProvider(() => this.#options.getToken({ reason }));
    return token === undefined ? undefined : { token };
  }

  /** Runs a credential provider; a failure is reported as `credentials_unavailable`. */
  async #callProvider(provide: () => string | Promise<string>): Promise<string | undefined> {
    try {
      const value = await provide();
      if (typeof value === 'string' && value.length > 0) return value;
      throw new TypeError('the credential provider returned no string');
    } catch (cause) {
      if (!this.#stopped) {
        this.#emitter.emit(
          'error',
          new ChatClientError('credentials_unavailable', 'Could not obtain a token or ticket', {
            cause,
          }),
        );
      }
      return undefined;
    }
  }

  /** Schedules the next attempt after the backoff (at least `minDelayMs`). */
  #retry(code: number | undefined, reason: string | undefined, minDelayMs: number): void {
    const delay = Math.max(
      minDelayMs,
      computeBackoffDelay(this.#attempt, {
        ...this.#options.backoff,
        random: this.#options.random,
      }),
    );
    this.#attempt += 1;
    this.#setState('reconnecting', { code, reason, retryInMs: delay });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#connect();
    }, delay);
  }

  // ── inbound ─────────────────────────────────────────────────────────────────────────────────

  #onMessage(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.#socket) return;
    this.#liveness?.touch();
    const inbound = typeof data === 'string' ? readServerFrame(data) : undefined;
    if (!inbound) {
      this.#emitter.emit(
        'error',
        new ChatClientError('invalid_frame', 'The server sent an unreadable frame'),
      );
      return;
    }
    if (!this.#welcomed) {
      if (inbound.kind === 'control' && inbound.frame.type === 'welcome')
        this.#onWelcome(socket, inbound.frame);
      else
        this.#emitter.emit(
          'error',
          new ChatClientError('invalid_frame', 'A frame arrived before welcome'),
        );
      return;
    }
    switch (inbound.kind) {
      case 'event':
        this.#apply(this.#sequencer.event(inbound.event.seq), inbound.event);
        return;
      case 'unknown_event':
        this.#apply(this.#sequencer.event(inbound.seq), undefined);
        return;
      case 'control':
        this.#onControl(inbound.frame);
        return;
      case 'unknown_control':
        return;
    }
  }

  #onWelcome(socket: WebSocketLike, frame: WelcomeFrame): void {
    clearTimeout(this.#connectTimer);
    if (frame.protocol !== SUPPORTED_PROTOCOL) {
      this.#teardown();
      closeQuietly(socket, 1000, 'unsupported protocol');
      const error = new ChatClientError(
        'unsupported_protocol',
        `The server speaks protocol ${String(frame.protocol)}`,
      );
      this.#stop(error, 1000, 'unsupported protocol', error);
      return;
    }
    this.#welcomed = true;
    this.#attempt = 0;
    this.#credentialReason = 'reconnect';
    this.#sequencer.welcome(frame);
    this.#setState('open', {});
    this.#emitter.emit('welcome', frame);
    if (socket !== this.#socket) return; // a listener closed the client
    this.#startLiveness(socket, frame.heartbeatMs);
    this.#startTokenRefresh();
    this.#requests.resendAll();
  }

  #onControl(frame: ControlFrame): void {
    switch (frame.type) {
      case 'ack':
        if (!this.#requests.ack(frame)) this.#internal.delete(frame.ref);
        return;
      case 'error':
        this.#onErrorFrame(frame);
        return;
      case 'resumed':
        this.#onResumed(frame);
        return;
      case 'welcome': // only the first frame of a connection is a welcome
      case 'pong':
        return;
    }
  }

  #onErrorFrame(frame: ErrorFrame): void {
    if (this.#requests.fail(frame)) return;
    if (frame.ref !== undefined && this.#internal.get(frame.ref) === 'resume')
      this.#sequencer.resumeFailed();
    if (frame.ref !== undefined) this.#internal.delete(frame.ref);
    this.#emitter.emit(
      'error',
      new ChatClientError(frame.code, frame.message, {
        ...(frame.ref === undefined ? {} : { ref: frame.ref }),
        ...(frame.retryAfterMs === undefined ? {} : { retryAfterMs: frame.retryAfterMs }),
      }),
    );
  }

  #onResumed(frame: ResumedFrame): void {
    const outcome = this.#sequencer.resumed(frame);
    this.#emitter.emit('resumed', frame);
    this.#apply(outcome, undefined);
  }

  /** Acts on the sequencer's verdict: reset first, then delivery, then a resume request. */
  #apply(outcome: SequencerOutcome, event: ChatEvent | undefined): void {
    const socket = this.#socket;
    if (outcome.reset) this.#emitter.emit('reset', outcome.reset);
    if (outcome.deliver && event) {
      this.#emitter.emit(event.type, event);
      this.#emitter.emit('event', event);
    }
    if (outcome.resume && socket === this.#socket) {
      const id = createMessageId();
      this.#internal.set(id, 'resume');
      this.#send({
        type: 'resume',
        id,
        lastSeq: outcome.resume.lastSeq,
        epoch: outcome.resume.epoch,
      });
    }
  }

  // ── outbound, liveness, credentials ─────────────────────────────────────────────────────────

  /** Sends on the open connection; false when there is none (the message waits or is dropped). */
  #send(message: ClientMessage): boolean {
    const socket = this.#socket;
    if (!socket || !this.#welcomed) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false; // the socket is going away; its `close` follows
    }
  }

  #startLiveness(socket: WebSocketLike, heartbeatMs: number): void {
    const options = this.#options.liveness;
    if (options === false) return;
    const idleMs =
      heartbeatMs > 0 && Number.isFinite(heartbeatMs) ? heartbeatMs : FALLBACK_HEARTBEAT_MS;
    this.#liveness = new LivenessMonitor({
      idleMs: options?.idleMs ?? idleMs,
      timeoutMs: options?.timeoutMs ?? DEFAULT_PONG_TIMEOUT_MS,
      onIdle: () => {
        this.#send({ type: 'ping' });
      },
      onDead: () => {
        this.#drop(socket, 4408, 'no frame after ping');
      },
    });
  }

  /**
   * Keeps this connection's JWT fresh through `auth`. In ticket mode the connection lives as long
   * as the JWT that obtained the ticket, so `getToken` is asked once per connection to learn its `exp`.
   */
  #startTokenRefresh(): void {
    const fetchToken = () =>
      this.#callProvider(() => this.#options.getToken({ reason: 'refresh' }));
    const refresher = new TokenRefresher({
      refreshBeforeExpiryMs:
        this.#options.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
      fetchToken,
      sendAuth: (token) => {
        const id = createMessageId();
        this.#internal.set(id, 'auth');
        this.#send({ type: 'auth', id, token });
      },
    });
    this.#refresher = refresher;
    if (!this.#options.getTicket) {
      if (this.#connectToken !== undefined) refresher.watch(this.#connectToken);
      return;
    }
    void fetchToken().then((token) => {
      if (token !== undefined) refresher.watch(token);
    });
  }

  // ── closing ─────────────────────────────────────────────────────────────────────────────────

  #onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#teardown();
    if (this.#stopped) return;
    const action = getCloseAction(code);
    if (isTerminalCloseAction(action)) {
      const error = new ChatClientError(
        'connection_closed',
        `The server closed the connection (${code})`,
        {
          closeCode: code,
        },
      );
      this.#stop(error, code, reason, code === 1000 ? undefined : error);
      return;
    }
    if (action === 'renew_credentials') this.#credentialReason = 'rejected';
    const minDelay =
      action === 'wait' ? (this.#options.rateLimitDelayMs ?? DEFAULT_RATE_LIMIT_DELAY_MS) : 0;
    this.#retry(code, reason, minDelay);
  }

  /** Gives up on a socket the client judged dead, as if it had closed with `code`. */
  #drop(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    closeQuietly(socket, code >= 3000 ? code : undefined, reason);
    this.#onClose(socket, code, reason);
  }

  /** Forgets the current connection and everything scoped to it. */
  #teardown(): void {
    const socket = this.#socket;
    if (socket) {
      socket.onmessage = noop;
      socket.onclose = noop;
    }
    clearTimeout(this.#connectTimer);
    this.#refresher?.stop();
    this.#refresher = undefined;
    this.#liveness?.stop();
    this.#liveness = undefined;
    this.#sequencer.connectionClosed();
    this.#internal.clear();
    this.#socket = undefined;
    this.#welcomed = false;
  }

  /** Stops for good: pending requests reject with `rejection`; `error`, if any, is emitted. */
  #stop(rejection: ChatClientError, code: number, reason: string, error?: ChatClientError): void {
    this.#stopped = true;
    this.#attemptSerial++;
    clearTimeout(this.#reconnectTimer);
    this.#requests.rejectAll(rejection);
    if (error) this.#emitter.emit('error', error);
    this.#setState('closed', { code, reason });
  }

  #setState(state: ConnectionState, details: Omit<StateChange, 'state' | 'previous'>): void {
    if (this.#state === state) return;
    const previous = this.#state;
    this.#state = state;
    const change: { -readonly [K in keyof StateChange]: StateChange[K] } = { state, previous };
    if (details.code !== undefined) change.code = details.code;
    if (details.reason !== undefined) change.reason = details.reason;
    if (details.retryInMs !== undefined) change.retryInMs = details.retryInMs;
    this.#emitter.emit('state', change);
  }
}

/** Closes without letting a late `error` event escape (`ws` emits one when closing while connecting). */
function closeQuietly(socket: WebSocketLike, code: number | undefined, reason: string): void {
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
