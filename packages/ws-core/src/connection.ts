import {
  CLOSE_CODES,
  type ControlFrame,
  PROTOCOL_VERSION,
  type ResumedFrame,
  type ServerFrame,
} from '@app/ws-protocol';
import type { ChatEventMonitor } from './event-monitor';
import type { ReadSinceResult, StreamEngine, StreamPosition, StreamRecord } from './stream-engine';
import type { Transport } from './transport';

/** Options of `WebSocketManager.connect`. */
export interface ConnectOptions {
  /** Default `c_` + random. */
  connectionId?: string;
  /** The ping interval the route uses, echoed in `welcome.heartbeatMs`. */
  heartbeatMs: number;
  /**
   * Connect-time resume (docs/protocol.md#resume-at-connect-time) from the query's `lastSeq`/`epoch`; `{malformed: true}`
   * when they were present but unusable (answered with `resumed {complete: false}`).
   */
  resume?: { lastSeq: number; epoch: string } | { malformed: true };
  /**
   * Turns a frame into text (legacy wire mode); `undefined` skips the frame. Default
   * `JSON.stringify` (stream events use their pre-serialized text: one serialization per event).
   */
  encode?: (frame: ServerFrame) => string | undefined;
  /** Send `welcome` first. Default true. */
  sendWelcome?: boolean;
}

/** A registered connection, as the route sees it. */
export interface ConnectionHandle {
  readonly id: string;
  /** The epoch announced in this connection's `welcome`. */
  readonly epoch: string;
  /** Whether the connection was closed (by the route, or by core: 4000, 1011, 1001). */
  readonly closed: boolean;
  /**
   * Resume on an open connection (docs/protocol.md#resume-on-an-open-connection): pauses live delivery, replays every retained
   * event with `seq > lastSeq`, sends `resumed`, then continues live with no gap. Calls on one
   * connection are served one after the other.
   */
  resume(lastSeq: number, epoch: string): Promise<ResumedFrame>;
  /** Sends a control frame (pong, ack, error) right away. */
  sendControl(frame: ControlFrame): void;
  /**
   * Sends a frame of another protocol spoken on this socket (the AI SDK transport's,
   * docs/interop.md) by the events' write path: nothing once closed, 1011 when the send throws,
   * 4000 past the outbound bound. False when nothing was written.
   */
  sendText(text: string): boolean;
  /** Unregisters the connection (its socket is closed or closing). Idempotent. */
  close(): void;
}

const BUFFERING = 0;
const LIVE = 1;
const CLOSED = 2;

/** What a connection needs from its manager. @internal */
export interface ConnectionInit {
  readonly id: string;
  readonly userId: string;
  readonly transport: Transport;
  readonly engine: StreamEngine;
  readonly monitor: ChatEventMonitor;
  readonly outboundLimitBytes: number;
  readonly encode: ((frame: ServerFrame) => string | undefined) | undefined;
  /** Called once when the connection closes, whoever closed it. */
  readonly onClosed: (connection: Connection) => void;
}

/** Welcome fields that do not come from the stream. @internal */
export interface WelcomeInfo {
  readonly heartbeatMs: number;
  readonly serverId: string;
  readonly resumeWindow: {
    readonly maxEvents: number;
    readonly maxAgeMs: number;
    readonly maxBytes: number;
  };
}

function isUsableResume(lastSeq: unknown, epoch: unknown): lastSeq is number {
  return (
    typeof lastSeq === 'number' &&
    Number.isSafeInteger(lastSeq) &&
    lastSeq >= 0 &&
    typeof epoch === 'string' &&
    epoch.length > 0
  );
}

/**
 * One connection: writes the user's events to its transport in `seq` order without gaps or
 * repeats (live), pauses live delivery during a replay (buffering what arrives and flushing
 * what the replay did not cover), and closes with 4000 when the transport's buffer passes its
 * bound — after which nothing more is written to it.
 */
export class Connection implements ConnectionHandle {
  readonly id: string;
  #epoch = '';
  #state = BUFFERING;
  /** Highest stream seq written (or the position live delivery continues after). */
  #lastSeq = 0;
  // Created on first use: most connections never hold an event or get a `resume` message, and
  // an idle connection is what the server keeps by the thousand.
  #buffer: StreamRecord[] | undefined;
  #bufferBytes = 0;
  #queue: Promise<unknown> | undefined;
  readonly #init: ConnectionInit;
  readonly #transport: Transport;
  readonly #encode: ((frame: ServerFrame) => string | undefined) | undefined;
  readonly #limit: number;
  readonly #monitor: ChatEventMonitor;

  constructor(init: ConnectionInit) {
    this.#init = init;
    this.id = init.id;
    this.#transport = init.transport;
    this.#encode = init.encode;
    this.#limit = init.outboundLimitBytes;
    this.#monitor = init.monitor;
  }

  get epoch(): string {
    return this.#epoch;
  }

  get closed(): boolean {
    return this.#state === CLOSED;
  }

  /** The stream seq this connection has been served up to. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Sends `welcome`, runs the connect-time resume if asked, then goes live. The connection must
   * already receive the user's events (it buffers them until live).
   */
  async open(
    welcome: WelcomeInfo,
    resume: ConnectOptions['resume'],
    sendWelcome: boolean,
  ): Promise<void> {
    const position = await this.#init.engine.position(this.#init.userId);
    if (this.#state === CLOSED) return;
    this.#epoch = position.epoch;
    this.#lastSeq = position.latestSeq;
    if (sendWelcome) {
      this.sendFrame({
        type: 'welcome',
        protocol: PROTOCOL_VERSION,
        connectionId: this.id,
        userId: this.#init.userId,
        epoch: position.epoch,
        seq: position.latestSeq,
        heartbeatMs: welcome.heartbeatMs,
        resumeWindow: {
          maxEvents: welcome.resumeWindow.maxEvents,
          maxAgeMs: welcome.resumeWindow.maxAgeMs,
          maxBytes: welcome.resumeWindow.maxBytes,
        },
        serverId: welcome.serverId,
        activeRuns: position.activeRuns.map((run) => ({ ...run })),
      });
    }
    if (resume !== undefined) {
      const usable = !('malformed' in resume) && isUsableResume(resume.lastSeq, resume.epoch);
      if (usable) await this.#replay(resume.lastSeq, resume.epoch, true, position);
      else this.#sendIncomplete(position.latestSeq, position);
    }
    this.#goLive();
  }

  resume(lastSeq: number, epoch: string): Promise<ResumedFrame> {
    const run = (): Promise<ResumedFrame> => this.#resumeNow(lastSeq, epoch);
    const next = (this.#queue ?? Promise.resolve()).then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  sendControl(frame: ControlFrame): void {
    this.sendFrame(frame);
  }

  sendText(text: string): boolean {
    return this.#state !== CLOSED && this.#write(text);
  }

  close(): void {
    this.#markClosed();
  }

  /** Closes the transport with `code` and unregisters. Nothing is written afterwards. */
  closeWith(code: number, reason: string): void {
    if (this.#state === CLOSED) return;
    this.#markClosed();
    try {
      this.#transport.close(code, reason);
    } catch {
      // The socket is gone already; it is unregistered either way.
    }
  }

  /** Hot path: one stream event for this connection's user. */
  deliver(record: StreamRecord): void {
    if (this.#state !== LIVE) {
      if (this.#state === BUFFERING) this.#hold(record);
      return;
    }
    const seq = record.seq;
    if (seq <= this.#lastSeq) return;
    this.#lastSeq = seq;
    this.#writeEvent(record);
  }

  #hold(record: StreamRecord): void {
    (this.#buffer ??= []).push(record);
    this.#bufferBytes += record.json.length;
    if (this.#bufferBytes > this.#limit) this.closeWith(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer');
  }

  /** Writes a control frame (or, via encode, any frame). False when nothing was written. */
  sendFrame(frame: ServerFrame): boolean {
    if (this.#state === CLOSED) return false;
    const text = this.#encode === undefined ? JSON.stringify(frame) : this.#encode(frame);
    if (text === undefined) return false;
    this.#write(text);
    return true;
  }

  async #resumeNow(lastSeq: number, epoch: string): Promise<ResumedFrame> {
    if (this.#state === CLOSED) {
      return this.#incompleteFrame(lastSeq, {
        epoch: this.#epoch,
        latestSeq: lastSeq,
        oldestSeq: lastSeq + 1,
      });
    }
    this.#state = BUFFERING;
    try {
      if (!isUsableResume(lastSeq, epoch)) {
        const position = await this.#init.engine.position(this.#init.userId);
        return this.#sendIncomplete(this.#lastSeq, position);
      }
      return await this.#replay(lastSeq, epoch, false, undefined);
    } finally {
      this.#goLive();
    }
  }

  /**
   * Replays what follows `lastSeq` and sends `resumed`. At connect time the live position
   * becomes `lastSeq` plus the replay; on an open connection it never moves back.
   */
  async #replay(
    lastSeq: number,
    epoch: string,
    atConnect: boolean,
    fallback: StreamPosition | undefined,
  ): Promise<ResumedFrame> {
    const read: ReadSinceResult = await this.#init.engine.readSince(
      this.#init.userId,
      lastSeq,
      epoch,
    );
    if (!read.complete) {
      return this.#sendIncomplete(
        atConnect ? (fallback?.latestSeq ?? read.latestSeq) : this.#lastSeq,
        read,
        lastSeq,
      );
    }
    let toSeq = lastSeq;
    const records = read.records;
    for (let i = 0; i < records.length && this.#state !== CLOSED; i++) {
      const record = records[i]!;
      if (record.seq <= toSeq) continue;
      toSeq = record.seq;
      this.#writeEvent(record);
    }
    this.#lastSeq = atConnect ? Math.max(toSeq, lastSeq) : Math.max(this.#lastSeq, toSeq);
    const frame: ResumedFrame = {
      type: 'resumed',
      complete: true,
      fromSeq: lastSeq + 1,
      toSeq,
      replayed: toSeq - lastSeq,
      oldestSeq: read.oldestSeq,
      latestSeq: read.latestSeq,
    };
    this.sendFrame(frame);
    this.#monitor.recordResume(true);
    return frame;
  }

  /**
   * `resumed {complete: false}`: nothing replayed; live continues after `livePosition`.
   * `requested` is the client's lastSeq (the live position when malformed).
   */
  #sendIncomplete(
    livePosition: number,
    position: StreamPosition,
    requested?: number,
  ): ResumedFrame {
    this.#lastSeq = livePosition;
    const frame = this.#incompleteFrame(requested ?? livePosition, position);
    this.sendFrame(frame);
    this.#monitor.recordResume(false);
    return frame;
  }

  #incompleteFrame(lastSeq: number, position: StreamPosition): ResumedFrame {
    return {
      type: 'resumed',
      complete: false,
      fromSeq: lastSeq + 1,
      toSeq: lastSeq,
      replayed: 0,
      oldestSeq: position.oldestSeq,
      latestSeq: position.latestSeq,
    };
  }

  #goLive(): void {
    if (this.#state !== BUFFERING) return;
    const buffered = this.#buffer;
    this.#buffer = undefined;
    this.#bufferBytes = 0;
    this.#state = LIVE;
    if (buffered === undefined) return;
    for (let i = 0; i < buffered.length; i++) this.deliver(buffered[i]!);
  }

  /** The one write path of a stream event: its stored JSON, or what `encode` makes of it. */
  #writeEvent(record: StreamRecord): void {
    const text = this.#encode === undefined ? record.json : this.#encode(record.event);
    if (text === undefined) return;
    if (this.#write(text)) this.#monitor.eventsSent++;
  }

  /** Sends `text`; closes 1011 when the send throws, 4000 past the buffer bound. True if sent. */
  #write(text: string): boolean {
    const transport = this.#transport;
    try {
      transport.send(text);
    } catch {
      this.closeWith(CLOSE_CODES.INTERNAL_ERROR, 'send failed');
      return false;
    }
    if (transport.bufferedAmount > this.#limit) {
      this.closeWith(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer');
    }
    return true;
  }

  #markClosed(): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#buffer = undefined;
    this.#bufferBytes = 0;
    this.#init.onClosed(this);
  }
}
