/**
 * A handler slot of a {@link WebSocketLike}. Declared through a method so that both the browser's
 * `WebSocket` (whose handlers take DOM events) and `ws` (whose handlers take its own event
 * classes) fit: the client reads only the fields named here.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** What the client reads from a `message` event: text frames arrive as strings. */
export interface MessageEventLike {
  readonly data: unknown;
}

/** What the client reads from a `close` event. */
export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/**
 * The part of the WHATWG `WebSocket` the client uses. The browser's global `WebSocket`, Node's
 * global `WebSocket` (Node 22+) and the `ws` package's class all fit.
 */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<MessageEventLike> | null;
  onclose: Handler<CloseEventLike> | null;
  onerror: Handler<unknown> | null;
}

/** A `WebSocket` class: `new WebSocket(url, protocols)`. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;
