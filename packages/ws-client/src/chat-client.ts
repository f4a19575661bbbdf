import type { ActiveRun, WelcomeFrame } from '@app/ws-protocol';
import { CLOSE_CODES, PROTOCOL_VERSION } from '@app/ws-protocol/constants';
import { ActiveRuns } from './active-runs.js';
import type { ChatClientEvents, ConnectionState, StateChange } from './client-events.js';
import {
  type CancelOptions,
  type ChatClientOptions,
  type ChatOptions,
  type ChatResult,
  checkClientOptions,
} from './client-options.js';
import {
  DEFAULT_RATE_LIMIT_DELAY_MS,
  getCloseAction,
  isTerminalCloseAction,
} from './close-policy.js';
import { buildConnectRequest } from './connect-request.js';
import { Connection } from './connection.js';
import { CredentialSource } from './credential-source.js';
import { ChatClientError } from './errors.js';
import { EventSequencer, type StreamPosition } from './event-sequencer.js';
import { FrameDelivery } from './frame-delivery.js';
import { createMessageId } from './message-id.js';
import { checkChatMessage } from './outbound-limits.js';
import { PendingRequests, type RequestMessage } from './pending-requests.js';
import { readServerFrame } from './read-server-frame.js';
import { ReconnectSchedule } from './reconnect-schedule.js';
import type { RunView } from './run-view.js';
import { DEFAULT_REFRESH_BEFORE_EXPIRY_MS } from './token-refresh.js';
import { type Listener, TypedEmitter } from './typed-emitter.js';
import type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';

/** Default of `requestTimeoutMs`: how long `chat()`/`cancel()` wait for their `ack`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Default of `connectTimeoutMs`: an attempt without `welcome` this long after it started failed. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

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
   * The user's runs in flight, oldest first: those the latest `welcome.activeRuns` listed and those
   * started since, until their `agent_completed` is delivered.
   */
  readonly activeRuns: readonly ActiveRun[];
  /**
   * The {@link RunView} of a run in flight whose events this client delivered (`undefined` for
   * other runs, and once its `agent_completed` was delivered: keep the last `run` event's view).
   */
  run(runId: string): RunView | undefined;
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
 *   30 s cap; the attempt count resets at each `welcome`), honouring the close codes of docs/protocol.md#close-codes
 *   (see `getCloseAction`), and resume at connect time with `?lastSeq=N&epoch=E`;
 * - every stream event reaches the application once, in `seq` order (see `EventSequencer`); lost
 *   events surface as `reset`;
 * - joining mid-run: a connect without a held position catches up on the runs in flight that
 *   `welcome.activeRuns` lists, from the oldest one's `firstSeq` (docs/protocol.md#8-joining-mid-run),
 *   and each run's events fold into a `RunView` (the `run` event, `client.run()`);
 * - `auth` with a fresh token `refreshBeforeExpiryMs` (60 s) before the JWT's `exp`.
 *
 * The first attempt starts right away (after the listeners attached in the same tick).
 *
 * @throws ChatClientError `invalid_options` when there is no WebSocket class or `url` is not a URL
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  return new SocketChatClient(options);
}

class SocketChatClient implements ChatClient {
  readonly #options: ChatClientOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #emitter = new TypedEmitter<ChatClientEvents>();
  readonly #sequencer: EventSequencer;
  readonly #requests: PendingRequests;
  readonly #credentials: CredentialSource;
  readonly #reconnect: ReconnectSchedule;
  readonly #delivery: FrameDelivery;
  readonly #runs = new ActiveRuns();
  #state: ConnectionState = 'connecting';
  #stopped = false;
  #connection: Connection | undefined;
  /** Bumped per attempt and on stop, so a late credential answers nobody. */
  #attemptSerial = 0;

  constructor(options: ChatClientOptions) {
    this.#WebSocket = checkClientOptions(options);
    this.#options = options;
    this.#sequencer = new EventSequencer(options.position);
    this.#requests = new PendingRequests((message) => {
      this.#connection?.send(message);
    });
    this.#credentials = new CredentialSource(options, (error) => {
      if (!this.#stopped) this.#emitter.emit('error', error);
    });
    this.#reconnect = new ReconnectSchedule(options);
    this.#delivery = new FrameDelivery({
      sequencer: this.#sequencer,
      requests: this.#requests,
      emitter: this.#emitter,
      runs: this.#runs,
      isCurrent: (connection) => connection === this.#connection,
    });
    void this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get position(): StreamPosition | undefined {
    return this.#sequencer.position;
  }

  get activeRuns(): readonly ActiveRun[] {
    return this.#runs.list;
  }

  run(runId: string): RunView | undefined {
    return this.#runs.view(runId);
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
    const connection = this.#connection;
    if (connection) {
      this.#teardown();
      connection.close(CLOSE_CODES.NORMAL, 'client closed');
    }
    this.#stop(
      new ChatClientError('client_closed', 'The client was closed'),
      CLOSE_CODES.NORMAL,
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
    const credential = await this.#credentials.forAttempt();
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
    this.#connection = new Connection(socket, credential, {
      connectTimeoutMs: this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      onMessage: (connection, data) => {
        this.#onMessage(connection, data);
      },
      onClose: (connection, code, reason) => {
        this.#onClose(connection, code, reason);
      },
      onConnectTimeout: (connection) => {
        this.#drop(connection, 1006, 'no welcome in time');
      },
    });
  }

  /** Schedules the next attempt after the backoff (at least `minDelayMs`). */
  #retry(code: number | undefined, reason: string | undefined, minDelayMs: number): void {
    const delay = this.#reconnect.nextDelay(minDelayMs);
    this.#setState('reconnecting', { code, reason, retryInMs: delay });
    this.#reconnect.wait(delay, () => {
      void this.#connect();
    });
  }

  // ── inbound ─────────────────────────────────────────────────────────────────────────────────

  #onMessage(connection: Connection, data: unknown): void {
    if (connection !== this.#connection) return;
    connection.touch();
    const inbound = typeof data === 'string' ? readServerFrame(data) : undefined;
    if (!inbound) {
      this.#emitter.emit(
        'error',
        new ChatClientError('invalid_frame', 'The server sent an unreadable frame'),
      );
      return;
    }
    if (!connection.welcomed) {
      if (inbound.kind === 'control' && inbound.frame.type === 'welcome')
        this.#onWelcome(connection, inbound.frame);
      else
        this.#emitter.emit(
          'error',
          new ChatClientError('invalid_frame', 'A frame arrived before welcome'),
        );
      return;
    }
    this.#delivery.deliver(connection, inbound);
  }

  #onWelcome(connection: Connection, frame: WelcomeFrame): void {
    connection.stopConnectTimer();
    if (frame.protocol !== PROTOCOL_VERSION) {
      this.#teardown();
      connection.close(CLOSE_CODES.NORMAL, 'unsupported protocol');
      const error = new ChatClientError(
        'unsupported_protocol',
        `The server speaks protocol ${String(frame.protocol)}`,
      );
      this.#stop(error, CLOSE_CODES.NORMAL, 'unsupported protocol', error);
      return;
    }
    connection.markWelcomed();
    this.#reconnect.reset();
    this.#credentials.accepted();
    // A server older than `activeRuns` sends none: no catch-up then.
    const activeRuns = this.#runs.welcome(frame.seq, frame.activeRuns);
    const outcome = this.#sequencer.welcome({ epoch: frame.epoch, seq: frame.seq, activeRuns });
    this.#setState('open', {});
    this.#emitter.emit('welcome', frame);
    if (connection !== this.#connection) return; // a listener closed the client
    connection.watchLiveness(this.#options.liveness, frame.heartbeatMs, () => {
      this.#drop(connection, CLOSE_CODES.HEARTBEAT_TIMEOUT, 'no frame after ping');
    });
    connection.keepTokenFresh(
      this.#options.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
      () => this.#credentials.refreshToken(),
    );
    this.#requests.resendAll();
    this.#delivery.apply(connection, outcome, undefined);
  }

  // ── closing ─────────────────────────────────────────────────────────────────────────────────

  #onClose(connection: Connection, code: number, reason: string): void {
    if (connection !== this.#connection) return;
    this.#teardown();
    if (this.#stopped) return;
    const action = getCloseAction(code);
    if (isTerminalCloseAction(action)) {
      const error = new ChatClientError(
        'connection_closed',
        `The server closed the connection (${code})`,
        { closeCode: code },
      );
      this.#stop(error, code, reason, code === CLOSE_CODES.NORMAL ? undefined : error);
      return;
    }
    if (action === 'renew_credentials') this.#credentials.rejected();
    const minDelay =
      action === 'wait' ? (this.#options.rateLimitDelayMs ?? DEFAULT_RATE_LIMIT_DELAY_MS) : 0;
    this.#retry(code, reason, minDelay);
  }

  /** Gives up on a connection the client judged dead, as if it had closed with `code`. */
  #drop(connection: Connection, code: number, reason: string): void {
    if (connection !== this.#connection) return;
    connection.close(code >= 3000 ? code : undefined, reason);
    this.#onClose(connection, code, reason);
  }

  /** Forgets the current connection and everything scoped to it. */
  #teardown(): void {
    this.#connection?.detach();
    this.#sequencer.connectionClosed();
    this.#connection = undefined;
  }

  /** Stops for good: pending requests reject with `rejection`; `error`, if any, is emitted. */
  #stop(rejection: ChatClientError, code: number, reason: string, error?: ChatClientError): void {
    this.#stopped = true;
    this.#attemptSerial++;
    this.#reconnect.cancel();
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
