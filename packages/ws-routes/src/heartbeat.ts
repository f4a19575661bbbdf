import type { WebSocket } from 'ws';

/** A running heartbeat of one socket. */
export interface Heartbeat {
  stop(): void;
}

/**
 * Sends a WebSocket ping every `intervalMs` and calls `onTimeout` when the previous ping has had
 * no pong by the next tick (protocol §6): a peer that misses a pong within one interval is dead.
 */
export function startHeartbeat(
  socket: WebSocket,
  intervalMs: number,
  onTimeout: () => void,
): Heartbeat {
  let awaitingPong = false;
  const onPong = (): void => {
    awaitingPong = false;
  };
  socket.on('pong', onPong);
  const timer = setInterval(() => {
    if (awaitingPong) {
      stop();
      onTimeout();
      return;
    }
    awaitingPong = true;
    socket.ping();
  }, intervalMs);
  timer.unref();

  function stop(): void {
    clearInterval(timer);
    socket.off('pong', onPong);
  }
  return { stop };
}
