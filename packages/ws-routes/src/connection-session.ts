import type {
  ConnectionHandle,
  ConnectionReservation,
  Transport,
  WebSocketHub,
  WebSocketManager,
} from '@app/ws-core';
import { withLogContext, type LogFields, type Logger } from '@app/logging-ssot';
import { CLOSE_CODES, type ControlFrame } from '@app/ws-protocol';
import { WebSocket, type RawData } from 'ws';
import { AiSdkRequests } from './ai-sdk-requests.js';
import { CoalescingSocket } from './coalescing-socket.js';
import type { CredentialSource } from './credentials.js';
import type { ExpiryEntry, ExpiryQueue } from './expiry-queue.js';
import { connectFailureClose, socketErrorCloseCode } from './failure-close-codes.js';
import type { HeartbeatPeer, HeartbeatSweep } from './heartbeat.js';
import { dispatchClientMessage, errorFrame } from './inbound-dispatcher.js';
import { parseInboundFrame } from './inbound-frame-parser.js';
import { InboundQueue } from './inbound-queue.js';
import { deprecationNoticeText, legacyFrameEncoder } from './legacy-mode.js';
import type { ConnectResume, WireMode } from './request-target.js';
import type { RouteMetrics } from './route-metrics.js';
import { StrikeWindow } from './strike-window.js';
import type { TokenVerifier, VerifiedToken } from './token-verifier.js';

/** What every session of one routes instance shares. */
export interface SessionEnvironment {
  readonly hub: WebSocketHub;
  readonly verifier: TokenVerifier;
  readonly metrics: RouteMetrics;
  readonly logger: Logger;
  readonly heartbeatMs: number;
  readonly closeTimeoutMs: number;
  readonly abuse: { readonly maxRejectedPerWindow: number; readonly windowMs: number };
  readonly invalidFrames: { readonly limit: number; readonly windowMs: number };
  /** The one ping timer of the routes; started when a session opens. */
  readonly heartbeat: HeartbeatSweep;
  /** The credential deadlines of the routes' sessions, on one timer. */
  readonly expiries: ExpiryQueue<ConnectionSession>;
  /** Called once, after the session has fully ended. */
  ended(session: ConnectionSession): void;
}

/**
 * The endpoint's server-side socket (ws' `WebSocket` option): a `ws` WebSocket that knows its
 * session, so one listener function per event serves every socket — `ws` calls listeners with
 * the socket as `this` — where closures per connection would cost memory on every idle socket.
 */
export class SessionSocket extends CoalescingSocket {
  session: ConnectionSession | undefined = undefined;
}

/** The session of a socket of the endpoint's; undefined for any other socket. */
function sessionOf(socket: WebSocket): ConnectionSession | undefined {
  return socket instanceof SessionSocket ? socket.session : undefined;
}

/** Who connected, and how. */
export interface SessionInit {
  /** The connection slot taken before the upgrade, registered by `start`. */
  readonly reservation: ConnectionReservation;
  readonly manager: WebSocketManager;
  readonly token: VerifiedToken;
  readonly credentialSource: CredentialSource;
  readonly mode: WireMode;
  readonly resume: ConnectResume | undefined;
}

/**
 * One open WebSocket: registers it with the user's manager, answers its frames in order, takes
 * part in the routes' heartbeat and credential expiry, and closes it exactly once (logged and
 * counted once). It is also core's {@link Transport} for the socket.
 *
 * Idle connections are the common case, so an idle session holds no timer, closure, promise or
 * child logger of its own: the socket's listeners are shared functions that find the session
 * on the socket, the heartbeat and expiry run on one timer each for all sessions, strike windows
 * and the inbound queue exist only once needed, and log lines carry the ids as fields.
 */
export class ConnectionSession implements Transport, HeartbeatPeer, ExpiryEntry {
  readonly id: string;
  readonly userId: string;
  readonly mode: WireMode;
  /** {@link HeartbeatSweep} bookkeeping. */
  awaitingPong = false;
  /** {@link ExpiryQueue} bookkeeping. */
  expiryAt = Number.POSITIVE_INFINITY;
  expiryIndex = -1;

  readonly #socket: SessionSocket;
  readonly #env: SessionEnvironment;
  readonly #manager: WebSocketManager;
  readonly #openedAt = Date.now();
  /** What only `connect` and the `connection opened` line need; dropped once connected. */
  #init: SessionInit | undefined;
  #handle: ConnectionHandle | undefined;
  /** The slot taken before the upgrade, until the connection holds it. */
  #reservation: ConnectionReservation | undefined;
  #abuse: StrikeWindow | undefined;
  #invalid: StrikeWindow | undefined;
  #reapTimer: NodeJS.Timeout | undefined;
  /** The AI SDK requests of an `ai-sdk` session, once connected. */
  #aiSdk: AiSdkRequests | undefined;
  /** Frames waiting for their turn, or the one running; they run once `connect` has settled. */
  #inbound: InboundQueue | undefined;
  #connectSettled = false;
  /** The close code this side chose (sent, or the one ws sends for a protocol failure). */
  #closeCode: number | undefined;
  #ended = false;
  #endedPromise: Promise<void> | undefined;
  #resolveEnded: (() => void) | undefined;

  constructor(socket: SessionSocket, env: SessionEnvironment, init: SessionInit) {
    this.#socket = socket;
    this.#env = env;
    this.#init = init;
    this.#manager = init.manager;
    this.#reservation = init.reservation;
    this.id = init.reservation.connectionId;
    this.userId = init.token.userId;
    this.mode = init.mode;
    socket.session = this;
    socket.on('message', ConnectionSession.#onMessage);
    socket.on('error', ConnectionSession.#onError);
    socket.on('close', ConnectionSession.#onClose);
    socket.on('pong', ConnectionSession.#onPong);
  }

  // The socket's listeners, shared by every socket: `ws` calls them with the socket as `this`.
  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const session = sessionOf(this);
    if (session !== undefined) session.#receive(data, isBinary);
  }

  static #onError(this: WebSocket, error: Error & { code?: string }): void {
    const session = sessionOf(this);
    if (session === undefined) return;
    session.#closeCode ??= socketErrorCloseCode(error.code);
    session.#log('debug', 'socket error', { errorCode: error.code });
  }

  static #onClose(this: WebSocket, code: number): void {
    const session = sessionOf(this);
    if (session !== undefined) session.#closed(code);
  }

  static #onPong(this: WebSocket): void {
    const session = sessionOf(this);
    if (session !== undefined) session.awaitingPong = false;
  }

  /** Resolves once the socket has closed and the session is unregistered. */
  get ended(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    this.#endedPromise ??= new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    return this.#endedPromise;
  }

  /** Whether the heartbeat pings this session: connected, and not closing. */
  get beating(): boolean {
    return this.#handle !== undefined && this.#closeCode === undefined && !this.#ended;
  }

  /** Registers the connection with the user's manager; the first frames go out from here. */
  async start(): Promise<void> {
    try {
      await this.#connect();
    } finally {
      this.#init = undefined;
      this.#connectSettled = true;
      this.#inbound?.open();
    }
  }

  async #connect(): Promise<void> {
    const init = this.#init;
    const reservation = this.#reservation;
    if (init === undefined || reservation === undefined) return;
    if (this.mode === 'legacy') this.#socket.send(deprecationNoticeText());
    let handle: ConnectionHandle;
    try {
      handle = await this.#inContext(() =>
        reservation.connect(this, {
          heartbeatMs: this.#env.heartbeatMs,
          ...(init.resume === undefined ? {} : { resume: init.resume }),
          ...(this.mode === 'legacy' ? { encode: legacyFrameEncoder(this.userId) } : {}),
          // The AI SDK protocol has no welcome and no user stream: the connection holds the
          // user's slot and the outbound bound; its frames are the requests' (`sendText`).
          ...(this.mode === 'ai-sdk' ? { sendWelcome: false, encode: noStreamFrames } : {}),
        }),
      );
    } catch (error) {
      this.#connectFailed(error);
      return;
    }
    // The socket may have gone away (or begun closing) while connecting; `#closed` unregisters
    // the handle unless it already ran.
    if (this.#ended) handle.close();
    this.#handle = handle;
    this.#reservation = undefined;
    if (this.#ended || this.#closeCode !== undefined) return;
    if (this.mode === 'ai-sdk') {
      this.#aiSdk = new AiSdkRequests({
        userId: this.userId,
        manager: this.#manager,
        engine: this.#env.hub.engine,
        logger: this.#env.logger,
        send: (text) => handle.sendText(text),
      });
    }
    this.#env.heartbeat.start();
    this.#env.expiries.schedule(this, init.token.expiresAt.getTime());
    this.#log('info', 'connection opened', {
      credentialSource: init.credentialSource,
      ...(init.resume === undefined
        ? {}
        : { resume: 'malformed' in init.resume ? 'malformed' : 'requested' }),
    });
  }

  /**
   * Closes with `code` (a close frame where one can still be sent), then terminates the socket
   * if the peer has not completed the closing handshake within the close timeout. Also core's
   * {@link Transport.close} (4000 slow consumer, 1011, 1001).
   */
  close(code: number, reason = ''): void {
    if (this.#closeCode !== undefined || this.#ended) return;
    this.#closeCode = code;
    this.#env.expiries.cancel(this);
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.close(code, reason);
    this.#reapTimer = setTimeout(() => this.#socket.terminate(), this.#env.closeTimeoutMs);
    this.#reapTimer.unref();
  }

  /**
   * Core's {@link Transport.send}: nothing is written once a close has begun. The frames of one
   * event-loop turn go out in one write ({@link CoalescingSocket}).
   */
  send(text: string): void {
    if (this.#closeCode !== undefined || this.#socket.readyState !== WebSocket.OPEN) return;
    this.#socket.sendInTurn(text);
  }

  /** Core's {@link Transport.bufferedAmount}: what the network has not taken yet. */
  get bufferedAmount(): number {
    return this.#socket.unsentBytes;
  }

  /** Destroys the socket without a close frame, as a network failure would. */
  terminate(): void {
    this.#socket.terminate();
  }

  /** {@link HeartbeatPeer.ping}. */
  ping(): void {
    this.#socket.ping();
  }

  /** {@link HeartbeatPeer.heartbeatTimedOut}: no pong since the previous sweep. */
  heartbeatTimedOut(): void {
    this.#log('info', 'heartbeat timeout');
    this.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
  }

  /**
   * The credentials' deadline has passed (the expiry queue), or an `auth` message was refused:
   * `error token_expired` (with `ref` for the latter), then close 4401.
   */
  credentialsExpired(ref?: string | number): void {
    if (this.#closeCode !== undefined || this.#ended) return;
    this.#log('info', 'credentials expired; closing');
    this.#handle?.sendControl(errorFrame('token_expired', 'the credentials have expired', ref));
    this.close(CLOSE_CODES.AUTH_EXPIRED, 'credentials expired');
  }

  #receive(data: RawData, isBinary: boolean): void {
    this.#inbound ??= new InboundQueue(
      {
        socket: this.#socket,
        handle: (frameData, frameIsBinary) => this.#handleFrame(frameData, frameIsBinary),
        failed: (error) => this.#log('error', 'inbound frame failed', { error }),
        // Dropped once empty, so an idle session holds no queue.
        emptied: () => (this.#inbound = undefined),
      },
      this.#connectSettled,
    );
    this.#inbound.push(data, isBinary);
  }

  async #handleFrame(data: RawData, isBinary: boolean): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined || this.#closeCode !== undefined || this.#ended) return;

    let decision: Awaited<ReturnType<WebSocketHub['rateLimiter']['consume']>>;
    try {
      decision = await this.#env.hub.rateLimiter.consume(this.userId);
    } catch (error) {
      this.#log('warn', 'rate limiter failed', { error });
      if (this.#aiSdk !== undefined) {
        this.#aiSdk.refuse(data, 'unavailable: the server cannot take messages right now');
        return;
      }
      handle.sendControl(
        errorFrame('unavailable', 'the server cannot take messages right now', undefined, 1000),
      );
      return;
    }
    if (!decision.allowed) {
      this.#env.metrics.rateLimited();
      if (this.#aiSdk !== undefined) {
        this.#aiSdk.refuse(data, 'rate_limited: too many messages; slow down');
      } else {
        handle.sendControl(
          errorFrame(
            'rate_limited',
            'too many messages; slow down',
            undefined,
            decision.retryAfterMs,
          ),
        );
      }
      const { maxRejectedPerWindow, windowMs } = this.#env.abuse;
      this.#abuse ??= new StrikeWindow(maxRejectedPerWindow + 1, windowMs);
      if (this.#abuse.strike()) {
        this.#log('warn', 'rate limit abuse; closing');
        this.close(CLOSE_CODES.RATE_LIMITED, 'rate limit abuse');
      }
      return;
    }

    const aiSdk = this.#aiSdk;
    if (aiSdk !== undefined) {
      const valid = await this.#inContext(() => aiSdk.handle(data, isBinary));
      if (!valid) this.#strikeInvalidFrame();
      return;
    }
    const parsed = parseInboundFrame(this.mode, data, isBinary);
    if (!parsed.ok) {
      this.#refuseFrame(handle, parsed.refusal);
      return;
    }
    await this.#inContext(() =>
      dispatchClientMessage(parsed.message, {
        userId: this.userId,
        manager: this.#manager,
        handle,
        verifier: this.#env.verifier,
        // Inside the log context, which carries userId and connectionId.
        logger: this.#env.logger,
        refreshCredentials: (token) => {
          if (this.#closeCode === undefined && !this.#ended) {
            this.#env.expiries.schedule(this, token.expiresAt.getTime());
          }
        },
        rejectCredentials: (ref) => this.credentialsExpired(ref),
      }),
    );
  }

  #refuseFrame(handle: ConnectionHandle, frame: ControlFrame): void {
    handle.sendControl(frame);
    this.#strikeInvalidFrame();
  }

  /** Counts an invalid frame; past the limit within the window, closes with 1008. */
  #strikeInvalidFrame(): void {
    const { limit, windowMs } = this.#env.invalidFrames;
    this.#invalid ??= new StrikeWindow(limit, windowMs);
    if (this.#invalid.strike()) {
      this.#log('warn', 'repeated invalid frames; closing');
      this.close(CLOSE_CODES.POLICY_VIOLATION, 'repeated invalid frames');
    }
  }

  #connectFailed(error: unknown): void {
    const { code, reason, log } = connectFailureClose(error);
    if (log !== undefined) {
      this.#log(log.level, log.message, log.level === 'error' ? { error } : undefined);
    }
    this.close(code, reason);
  }

  #closed(receivedCode: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#env.expiries.cancel(this);
    if (this.#reapTimer !== undefined) clearTimeout(this.#reapTimer);
    this.#aiSdk?.close();
    if (this.#handle !== undefined) {
      this.#handle.close();
    } else {
      // `connect` failed or is still running: no connection holds the slot taken before the upgrade.
      this.#reservation?.release();
    }
    const code = this.#closeCode ?? receivedCode;
    this.#env.metrics.closed(code);
    this.#log('info', 'connection closed', { code, durationMs: Date.now() - this.#openedAt });
    this.#env.ended(this);
    this.#resolveEnded?.();
  }

  /** Logs with the connection's fields: no child logger per connection. */
  #log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: LogFields): void {
    const logger = this.#env.logger;
    if (!logger.isLevelEnabled(level)) return;
    logger[level](message, {
      userId: this.userId,
      connectionId: this.id,
      mode: this.mode,
      ...fields,
    });
  }

  #inContext<T>(fn: () => Promise<T>): Promise<T> {
    return withLogContext({ userId: this.userId, connectionId: this.id }, fn);
  }
}

/** The encoder of an `ai-sdk` connection: no protocol v1 frame goes out on it. */
function noStreamFrames(): undefined {
  return undefined;
}
