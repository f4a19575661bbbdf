/**
 * What ws-core needs of a socket: the route adapts its WebSocket (e.g. `ws`) to this, and tests
 * use `FakeTransport` from `@app/ws-core/testing`. Core never imports a socket library.
 */
export interface Transport {
  /** Queues one text frame. Must not throw for a closing socket (drop the frame instead). */
  send(text: string): void;
  /** Bytes queued but not yet written to the network (`ws`' `bufferedAmount`). */
  readonly bufferedAmount: number;
  /** Starts the closing handshake with `code` (e.g. 4000 slow consumer, 1011 stream reset). */
  close(code: number, reason?: string): void;
}
