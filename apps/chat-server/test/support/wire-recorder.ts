/**
 * Records what the chat server really put on the wire, per connection, BEFORE the client SDK
 * drops duplicates and repairs gaps: the `WebSocket` class handed to `createChatClient` is
 * `ws`'s, wrapped so that every frame received and every message sent is recorded and checked
 * as it happens by ws-core's connection oracle (docs/protocol.md#sequence-numbers,
 * docs/protocol.md#resume-at-connect-time). A server that loses, repeats or misroutes events
 * fails here even when the SDK would have hidden it.
 */
import type { WebSocketConstructor } from '@app/ws-client';
import type { ClientMessage, ServerFrame } from '@app/ws-protocol';
import WebSocket, { type RawData } from 'ws';
import { ConnectionSequenceCheck } from '../../../../packages/ws-core/test-support/connection-sequence-check.js';

/** A server node the recorder may route a connection to. */
export interface WireNode {
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string;
}

/** One tab: a client of one user, whose attempts the recorder routes over the nodes. */
export interface WireTab {
  readonly userId: string;
  /** 0-based index of the user among the test's users. */
  readonly user: number;
  /** 0-based index of the tab among its user's tabs. */
  readonly tab: number;
}

/** What a stream event looked like on one connection. */
export interface WireEvent {
  readonly seq: number;
  readonly runId: string;
  /** The frame's text, exactly as received. */
  readonly text: string;
}

/** One WebSocket of one tab, from its open to its close. */
export class RecordedConnection {
  /** The tab's attempt this is (0 for the first). */
  readonly attempt: number;
  readonly url: URL;
  /** The `?lastSeq=` the connection asked to resume from, when it did. */
  readonly connectResume: number | undefined;
  readonly check: ConnectionSequenceCheck;
  /** Every stream event received, in order, repeats included. */
  readonly events: WireEvent[] = [];
  /** The `resume` messages the client sent on this connection (their `lastSeq`). */
  readonly resumesSent: number[] = [];
  /** Ids of `chat` messages sent on this connection and not acknowledged on it. */
  readonly chatsAwaitingAck = new Set<string | number>();
  /** The close code, once closed. */
  closeCode: number | undefined;
  readonly #socket: WebSocket;

  constructor(
    readonly tab: WireTab,
    attempt: number,
    /** Index of the node it went to. */
    readonly node: number,
    url: URL,
    socket: WebSocket,
    ownerOf: (runId: string) => string | undefined,
  ) {
    this.attempt = attempt;
    this.url = url;
    this.#socket = socket;
    const lastSeq = url.searchParams.get('lastSeq');
    this.connectResume = lastSeq === null ? undefined : Number(lastSeq);
    this.check = new ConnectionSequenceCheck({
      userId: tab.userId,
      ...(this.connectResume === undefined ? {} : { connectResume: this.connectResume }),
      ownerOf,
    });
  }

  /** Where this connection's stream started: `?lastSeq=` or, without it, `welcome.seq`. */
  get start(): number | undefined {
    return this.connectResume ?? this.check.welcomeSeq;
  }

  /** A short name for messages: `user 3 tab 1 #2 (node :4567)`. */
  get label(): string {
    return `user ${this.tab.user} tab ${this.tab.tab} connection #${this.attempt} (${this.url.host})`;
  }

  /** Cuts the socket as a network failure would (no close frame). */
  cut(): void {
    this.#socket.terminate();
  }
}

/** Called for every stream event as it arrives, after it was checked. */
export type WireEventListener = (connection: RecordedConnection, event: WireEvent) => void;

/** Options of {@link WireRecorder}. */
export interface WireRecorderOptions {
  /**
   * A tab whose last connection left a `chat` unacknowledged reconnects to that same node, so
   * the SDK's resend reaches the node that remembers the chat id. Default true: chat ids are
   * remembered per node today, and a resend on another node starts a second run (one run across
   * nodes is planned: docs/scaling.md#rule-9-idempotency-and-caps-hold-across-nodes). Set false
   * to move on every reconnect.
   */
  readonly stayWhileChatPending?: boolean;
}

/** Every connection of a test and what was wrong on them. */
export class WireRecorder {
  readonly connections: RecordedConnection[] = [];
  /** Breaches found so far, each naming its connection. */
  readonly problems: string[] = [];
  /** runId → userId, from the `ack`s on the wire. */
  readonly #owners = new Map<string, string>();
  readonly #nodes: readonly WireNode[];
  readonly #onEvent: WireEventListener;
  readonly #stayWhileChatPending: boolean;

  /**
   * @param nodes the servers; tab `t` first connects to `nodes[t % nodes.length]` and every
   *   reconnect moves to the next node — except while a `chat` the tab sent is unacknowledged
   *   (see {@link WireRecorderOptions.stayWhileChatPending})
   * @param onEvent called for every stream event received (drop triggers)
   */
  constructor(
    nodes: readonly WireNode[],
    onEvent: WireEventListener,
    options: WireRecorderOptions = {},
  ) {
    this.#nodes = nodes;
    this.#onEvent = onEvent;
    this.#stayWhileChatPending = options.stayWhileChatPending ?? true;
  }

  /** The user a run belongs to, as its `ack` said. */
  ownerOf(runId: string): string | undefined {
    return this.#owners.get(runId);
  }

  /** The runs the `ack`s on `userId`'s connections named. */
  runsOf(userId: string): string[] {
    return [...this.#owners].filter(([, owner]) => owner === userId).map(([runId]) => runId);
  }

  /** The connections of one tab, in order. */
  connectionsOf(tab: WireTab): RecordedConnection[] {
    return this.connections.filter((c) => c.tab.user === tab.user && c.tab.tab === tab.tab);
  }

  /** A `WebSocket` class for `tab`'s client that records its connections. */
  webSocketFor(tab: WireTab): WebSocketConstructor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below reports here
    const recorder = this;
    let attempts = 0;
    let previous: RecordedConnection | undefined;
    return class RecordingWebSocket extends WebSocket {
      readonly #connection: RecordedConnection;

      constructor(address: string, protocols?: string | string[]) {
        const attempt = attempts++;
        const stay = recorder.#stayWhileChatPending && (previous?.chatsAwaitingAck.size ?? 0) > 0;
        const node =
          previous === undefined
            ? tab.tab % recorder.#nodes.length
            : (previous.node + (stay ? 0 : 1)) % recorder.#nodes.length;
        const url = new URL(address);
        url.host = new URL(recorder.#nodes[node]!.wsUrl).host;
        super(url, protocols);
        const connection = new RecordedConnection(tab, attempt, node, url, this, (runId) =>
          recorder.ownerOf(runId),
        );
        previous = connection;
        this.#connection = connection;
        recorder.connections.push(connection);
        // Registered before the SDK's own handler, so every frame is seen as the server sent it.
        this.on('message', (data: RawData, isBinary: boolean) =>
          recorder.#received(connection, data, isBinary),
        );
        this.on('close', (code: number) => {
          connection.closeCode = code;
        });
      }

      override send(data: string): void {
        recorder.#sent(this.#connection, data);
        super.send(data);
      }
    };
  }

  #received(connection: RecordedConnection, data: RawData, isBinary: boolean): void {
    const problemsBefore = connection.check.problems.length;
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    let frame: ServerFrame;
    try {
      if (isBinary) throw new Error('a binary frame');
      frame = JSON.parse(text) as ServerFrame;
    } catch (error) {
      this.#problem(connection, `unreadable frame (${String(error)}): ${text.slice(0, 200)}`);
      return;
    }
    if (frame.type === 'ack') {
      connection.chatsAwaitingAck.delete(frame.ref);
      if (frame.runId !== undefined) this.#claim(connection, frame.runId);
    }
    if (frame.type === 'error') this.#problem(connection, `error frame ${text}`);
    connection.check.frame(frame);
    for (const problem of connection.check.problems.slice(problemsBefore)) {
      this.#problem(connection, problem);
    }
    if (frame.type === 'welcome' || !('seq' in frame) || typeof frame.seq !== 'number') return;
    const event: WireEvent = { seq: frame.seq, runId: frame.runId, text };
    connection.events.push(event);
    this.#onEvent(connection, event);
  }

  #sent(connection: RecordedConnection, data: string): void {
    let message: ClientMessage;
    try {
      message = JSON.parse(data) as ClientMessage;
    } catch {
      return;
    }
    if (message.type === 'chat' && message.id !== undefined)
      connection.chatsAwaitingAck.add(message.id);
    if (message.type !== 'resume') return;
    connection.resumesSent.push(message.lastSeq);
    connection.check.resumeRequested(message.lastSeq);
    // A view that joins a run already in flight resumes from before where its stream started
    // (docs/protocol.md#8-joining-mid-run); a resume from later on repairs a gap the server left.
    const start = connection.start;
    if (start === undefined || message.lastSeq >= start) {
      this.#problem(
        connection,
        `gap-repair resume from lastSeq ${message.lastSeq}: the client saw a gap the server caused`,
      );
    }
  }

  #claim(connection: RecordedConnection, runId: string): void {
    const owner = this.#owners.get(runId);
    if (owner === undefined) this.#owners.set(runId, connection.tab.userId);
    else if (owner !== connection.tab.userId)
      this.#problem(connection, `ack of ${owner}'s run ${runId}`);
  }

  #problem(connection: RecordedConnection, message: string): void {
    this.problems.push(`${connection.label}: ${message}`);
  }
}
