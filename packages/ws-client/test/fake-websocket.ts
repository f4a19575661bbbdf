import type { CloseEventLike, MessageEventLike, WebSocketLike } from '../src/websocket-like.js';

type Frame = Record<string, unknown>;

/** One fake socket: records what the client sends, lets the test play the server. */
export class FakeSocket implements WebSocketLike {
  readonly url: URL;
  readonly protocols: string[];
  /** Every frame the client sent, parsed. */
  readonly sent: Frame[] = [];
  /** Set when the client called `close()`. */
  closedByClient: { code: number | undefined; reason: string | undefined } | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: MessageEventLike) => void) | null = null;
  onclose: ((event: CloseEventLike) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(url: string, protocols?: string | string[]) {
    this.url = new URL(url);
    this.protocols =
      protocols === undefined ? [] : Array.isArray(protocols) ? protocols : [protocols];
  }

  send(data: string): void {
    if (this.closedByClient) throw new Error('send after close');
    this.sent.push(JSON.parse(data) as Frame);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
  }

  /** Frames the client sent, of one type. */
  sentOfType(type: string): Frame[] {
    return this.sent.filter((frame) => frame.type === type);
  }

  /** The server opens the socket and sends `welcome` (defaults: epoch `e_1`, seq 0). */
  welcome(fields: Frame = {}): void {
    this.onopen?.({});
    this.receive({
      type: 'welcome',
      protocol: 1,
      connectionId: 'c_test',
      userId: 'alice',
      epoch: 'e_1',
      seq: 0,
      heartbeatMs: 25_000,
      resumeWindow: { maxEvents: 1000, maxAgeMs: 300_000 },
      serverId: 'node-1',
      ...fields,
    });
  }

  /** The server sends a frame (an object is sent as JSON, a string as is). */
  receive(frame: Frame | string): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** The server sends stream events with these seqs (type `agent_thinking` unless given). */
  events(...seqs: number[]): void {
    for (const seq of seqs) this.receive(streamEvent(seq));
  }

  /** The connection closes with `code` (the server closed it, or the network failed: 1006). */
  serverClose(code: number, reason = ''): void {
    this.onclose?.({ code, reason });
  }
}

/** A stream event frame. */
export function streamEvent(
  seq: number,
  type = 'agent_thinking',
  payload: Frame = { text: `t${seq}` },
): Frame {
  return { type, seq, runId: 'r_1', threadId: 't_1', ts: '2026-11-22T07:00:00.000Z', payload };
}

/** A fresh fake WebSocket class whose instances are listed in `sockets`, newest last. */
export function createFakeWebSocket(): {
  WebSocket: new (url: string, protocols?: string | string[]) => FakeSocket;
  sockets: FakeSocket[];
  last(): FakeSocket;
} {
  const sockets: FakeSocket[] = [];
  class TrackedSocket extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return {
    WebSocket: TrackedSocket,
    sockets,
    last() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
  };
}

/** An unsigned JWT with these claims (the client never verifies signatures). */
export function makeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => {
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    const binary = String.fromCharCode(...bytes);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}
