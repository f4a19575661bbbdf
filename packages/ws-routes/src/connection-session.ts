import type { ConnectionHandle, Transport, WebSocketHub, WebSocketManager } from '@app/ws-core';
import { withLogContext, type Logger } from '@app/logging-ssot';
import { CLOSE_CODES, type ControlFrame } from '@app/ws-protocol';
import { WebSocket, type RawData } from 'ws';
import type { CredentialSource } from './credentials.js';
import { startExpiryTimer, type ExpiryTimer } from './expiry-timer.js';
import { startHeartbeat, type Heartbeat } from './heartbeat.js';
import { dispatchClientMessage, errorFrame } from './inbound-dispatcher.js';
import { deprecationNoticeText, inboundParser, legacyFrameEncoder } from './legacy-mode.js';
import type { ConnectResume, WireMode } from './request-target.js';
import type { RouteMetrics } from './route-metrics.js';
import { createSocketTransport } from './socket-transport.js';
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
  /** Called once, after the session has fully ended. */
  ended(session: ConnectionSession): void;
}

/** Who connected, and how. */
export interface SessionInit {
  readonly connectionId: string;
  readonly manager: WebSocketManager;
  readonly token: VerifiedToken;
  readonly credentialSource: CredentialSource;
  readonly mode: WireMode;
  readonly resume: ConnectResume | undefined;
}

/** The close code ws sends for other protocol failures (bad opcode, unmasked frame...). */
const PROTOCOL_ERROR = 1002;

/** Inbound frames waiting for their turn past this count pause reading from the socket. */
const INBOUND_QUEUE_HIGH = 32;

/** ws reports protocol failures as errors with these codes; the close code it sends for each. */
const RECEIVER_ERROR_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: CLOSE_CODES.MESSAGE_TOO_BIG,
  WS_ERR_INVALID_UTF8: CLOSE_CODES.UNSUPPORTED_DATA,
};

/**
 * One open WebSocket: registers it with the user's manager, answers its frames in order, keeps
 * its heartbeat and credential expiry, and closes it exactly once (logged and counted once).
 */
export class ConnectionSession {
  readonly id: string;
  readonly userId: string;
  readonly mode: WireMode;

  readonly #socket: WebSocket;
  readonly #env: SessionEnvironment;
  readonly #init: SessionInit;
  readonly #logger: Logger;
  readonly #openedAt = Date.now();
  readonly #parse: ReturnType<typeof inboundParser>;
  readonly #abuse: StrikeWindow;
  readonly #invalid: StrikeWindow;
  #handle: ConnectionHandle | undefined;
  #heartbeat: Heartbeat | undefined;
  #expiry: ExpiryTimer | undefined;
  #reapTimer: NodeJS.Timeout | undefined;
  /** Inbound frames run one after another, the first once `connect` has settled. */
  #inbound: Promise<void>;
  #connectSettled: () => void = () => {};
  #queued = 0;
  #paused = false;
  /** The close code this side chose (sent, or the one ws sends for a protocol failure). */
  #closeCode: number | undefined;
  #ended = false;
  readonly #endedPromise: Promise<void>;
  #resolveEnded: () => void = () => {};

  constructor(socket: WebSocket, env: SessionEnvironment, init: SessionInit) {
    this.#socket = socket;
    this.#env = env;
    this.#init = init;
    this.id = init.connectionId;
    this.userId = init.token.userId;
    this.mode = init.mode;
    this.#logger = env.logger.child({
      userId: this.userId,
      connectionId: this.id,
      mode: this.mode,
    });
    this.#parse = inboundParser(init.mode);
    this.#abuse = new StrikeWindow(env.abuse.maxRejectedPerWindow + 1, env.abuse.windowMs);
    this.#invalid = new StrikeWindow(env.invalidFrames.limit, env.invalidFrames.windowMs);
    this.#endedPromise = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    // Frames that arrive while `connect` runs wait for it, so every reply follows `welcome`.
    this.#inbound = new Promise((resolve) => {
      this.#connectSettled = resolve;
    });

    socket.on('message', (data, isBinary) => this.#enqueue(data, isBinary));
    socket.on('error', (error: Error & { code?: string }) => {
      const code = error.code === undefined ? undefined : RECEIVER_ERROR_CLOSE_CODES[error.code];
      this.#closeCode ??= code ?? PROTOCOL_ERROR;
      this.#logger.debug('socket error', { errorCode: error.code });
    });
    socket.on('close', (code) => this.#onClose(code));
  }

  /** Resolves once the socket has closed and the session is unregistered. */
  get ended(): Promise<void> {
    return this.#endedPromise;
  }

  /** Registers the connection with the user's manager; the first frames go out from here. */
  async start(): Promise<void> {
    try {
      await this.#connect();
    } finally {
      this.#connectSettled();
    }
  }

  async #connect(): Promise<void> {
    if (this.mode === 'legacy') this.#socket.send(deprecationNoticeText());
    const transport: Transport = createSocketTransport(this.#socket, (code, reason) =>
      this.close(code, reason),
    );
    try {
      this.#handle = await this.#inContext(() =>
        this.#init.manager.connect(transport, {
          connectionId: this.id,
          heartbeatMs: this.#env.heartbeatMs,
          ...(this.#init.resume === undefined ? {} : { resume: this.#init.resume }),
          ...(this.mode === 'legacy' ? { encode: legacyFrameEncoder(this.userId) } : {}),
        }),
      );
    } catch (error) {
      this.#connectFailed(error);
      return;
    }
    // The socket may have gone away (or begun closing) while connecting; `#onClose` unregisters
    // the handle unless it already ran.
    if (this.#ended) this.#handle.close();
    if (this.#ended || this.#closeCode !== undefined) return;
    this.#heartbeat = startHeartbeat(this.#socket, this.#env.heartbeatMs, () => {
      this.#logger.info('heartbeat timeout');
      this.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
    });
    this.#expiry = startExpiryTimer(this.#init.token.expiresAt, () => this.#credentialsExpired());
    this.#logger.info('connection opened', {
      credential: this.#init.credentialSource,
      ...(this.#init.resume === undefined
        ? {}
        : { resume: 'malformed' in this.#init.resume ? 'malformed' : 'requested' }),
    });
  }

  /**
   * Closes with `code` (a close frame where one can still be sent), then terminates the socket
   * if the peer has not completed the closing handshake within the close timeout.
   */
  close(code: number, reason = ''): void {
    if (this.#closeCode !== undefined || this.#ended) return;
    this.#closeCode = code;
    this.#stopTimers();
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.close(code, reason);
    this.#reapTimer = setTimeout(() => this.#socket.terminate(), this.#env.closeTimeoutMs);
    this.#reapTimer.unref();
  }

  /** Destroys the socket without a close frame, as a network failure would. */
  terminate(): void {
    this.#socket.terminate();
  }

  #enqueue(data: RawData, isBinary: boolean): void {
    this.#queued += 1;
    if (this.#queued > INBOUND_QUEUE_HIGH && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
    this.#inbound = this.#inbound
      .then(() => this.#handleFrame(data, isBinary))
      .catch((error: unknown) => this.#logger.error('inbound frame failed', { error }))
      .finally(() => {
        this.#queued -= 1;
        if (this.#paused && this.#queued <= INBOUND_QUEUE_HIGH / 2) {
          this.#paused = false;
          this.#socket.resume();
        }
      });
  }

  async #handleFrame(data: RawData, isBinary: boolean): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined || this.#closeCode !== undefined || this.#ended) return;

    let decision: Awaited<ReturnType<WebSocketHub['rateLimiter']['consume']>>;
    try {
      decision = await this.#env.hub.rateLimiter.consume(this.userId);
    } catch (error) {
      this.#logger.warn('rate limiter failed', { error });
      handle.sendControl(
        errorFrame('unavailable', 'the server cannot take messages right now', undefined, 1000),
      );
      return;
    }
    if (!decision.allowed) {
      this.#env.metrics.rateLimited();
      handle.sendControl(
        errorFrame(
          'rate_limited',
          'too many messages; slow down',
          undefined,
          decision.retryAfterMs,
        ),
      );
      if (this.#abuse.strike()) {
        this.#logger.warn('rate limit abuse; closing');
        this.close(CLOSE_CODES.RATE_LIMITED, 'rate limit abuse');
      }
      return;
    }

    if (isBinary) {
      this.#refuseFrame(handle, errorFrame('invalid_message', 'binary frames are not accepted'));
      return;
    }
    const parsed = this.#parse(rawText(data));
    if (!parsed.ok) {
      this.#refuseFrame(handle, { type: 'error', ...parsed.error });
      return;
    }
    await this.#inContext(() =>
      dispatchClientMessage(parsed.message, {
        userId: this.userId,
        manager: this.#init.manager,
        handle,
        verifier: this.#env.verifier,
        logger: this.#logger,
        refreshCredentials: (token) => this.#expiry?.reset(token.expiresAt),
        rejectCredentials: (ref) => this.#credentialsExpired(ref),
      }),
    );
  }

  #refuseFrame(handle: ConnectionHandle, frame: ControlFrame): void {
    handle.sendControl(frame);
    if (this.#invalid.strike()) {
      this.#logger.warn('repeated invalid frames; closing');
      this.close(CLOSE_CODES.POLICY_VIOLATION, 'repeated invalid frames');
    }
  }

  #credentialsExpired(ref?: string | number): void {
    if (this.#closeCode !== undefined) return;
    this.#logger.info('credentials expired; closing');
    this.#handle?.sendControl(errorFrame('token_expired', 'the credentials have expired', ref));
    this.close(CLOSE_CODES.AUTH_EXPIRED, 'credentials expired');
  }

  #connectFailed(error: unknown): void {
    const code = readCode(error);
    if (code === 'WS_CONNECTION_LIMIT') {
      // Another node took the last slot between the check and `connect`.
      this.#logger.info('connection limit reached after the upgrade; closing');
      this.close(CLOSE_CODES.TRY_AGAIN_LATER, 'too many connections');
    } else if (code === 'WS_SHUTTING_DOWN') {
      this.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
    } else {
      this.#logger.error('connect failed', { error });
      this.close(CLOSE_CODES.INTERNAL_ERROR, 'internal error');
    }
  }

  #onClose(receivedCode: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopTimers();
    if (this.#reapTimer !== undefined) clearTimeout(this.#reapTimer);
    if (this.#handle !== undefined) {
      this.#handle.close();
    } else {
      // `connect` failed or is still running: the slot taken before the upgrade is not core's yet.
      void this.#env.hub.engine.releaseConnectionSlot(this.userId, this.id).catch(() => undefined);
    }
    const code = this.#closeCode ?? receivedCode;
    this.#env.metrics.closed(code);
    this.#logger.info('connection closed', { code, durationMs: Date.now() - this.#openedAt });
    this.#env.ended(this);
    this.#resolveEnded();
  }

  #stopTimers(): void {
    this.#heartbeat?.stop();
    this.#expiry?.stop();
  }

  #inContext<T>(fn: () => Promise<T>): Promise<T> {
    return withLogContext({ userId: this.userId, connectionId: this.id }, fn);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function readCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
