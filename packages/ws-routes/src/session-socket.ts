import { WebSocket } from 'ws';
import type { ConnectionSession } from './connection-session.js';

/**
 * The endpoint's server-side socket (ws' `WebSocket` option): a `ws` WebSocket that knows its
 * session, so one listener function per event serves every socket — `ws` calls listeners with
 * the socket as `this` — where closures per connection would cost memory on every idle socket.
 */
export class SessionSocket extends WebSocket {
  session: ConnectionSession | undefined = undefined;
}

/** The session of a socket of the endpoint's; undefined for any other socket. */
export function sessionOf(socket: WebSocket): ConnectionSession | undefined {
  return socket instanceof SessionSocket ? socket.session : undefined;
}
