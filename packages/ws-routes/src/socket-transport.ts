import type { Transport } from '@app/ws-core';
import { WebSocket } from 'ws';

/**
 * Core's {@link Transport} over a `ws` WebSocket. `close` goes through the session (`closeWith`),
 * which records the code and reaps the socket after the close timeout, so a peer that stopped
 * reading — and will never read the close frame queued behind its backlog — still lets go of
 * the server's memory. Nothing is written once a close has begun.
 */
export function createSocketTransport(
  socket: WebSocket,
  closeWith: (code: number, reason?: string) => void,
): Transport {
  let closing = false;
  return {
    send(text) {
      if (closing || socket.readyState !== WebSocket.OPEN) return;
      socket.send(text);
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    close(code, reason) {
      closing = true;
      closeWith(code, reason);
    },
  };
}
