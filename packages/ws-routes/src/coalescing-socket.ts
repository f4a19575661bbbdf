import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/**
 * A socket's frames corked at most this many bytes: past it the turn's frames so far are
 * written at once and a new cork starts, so what the backpressure check cannot see yet (below)
 * stays small beside any outbound limit.
 */
export const MAX_CORKED_BYTES = 64 * 1024;

/** What `ws` keeps of the TCP socket (not in its public types). */
interface WithRawSocket {
  _socket?: Duplex | null;
}

function uncork(socket: CoalescingSocket): void {
  socket.flushTurn();
}

/**
 * A `ws` WebSocket whose frames of one event-loop turn go to the network in one write: the
 * first {@link CoalescingSocket.sendInTurn} of a turn corks the TCP socket and a
 * `process.nextTick` uncorks it, after the turn's promise continuations, so a burst of events
 * (a run's frames, a fan-out to this socket, a replay) is one `writev` instead of one `write`
 * per frame. Frames keep their order; each is still the same single text given to `ws`.
 *
 * Backpressure: {@link CoalescingSocket.unsentBytes} is `bufferedAmount` less the bytes corked
 * in this turn — those would have gone to the kernel uncorked, and the next turn's check sees
 * what it did not take — and a cork holds at most {@link MAX_CORKED_BYTES}, so a paused reader
 * is still closed at its outbound limit. Idle sockets carry two numbers, no closure or timer.
 */
export class CoalescingSocket extends WebSocket {
  /** Bytes written while corked this turn; -1 when not corked. */
  #corkedBytes = -1;

  /** Queues one text frame, coalesced with the others of this turn. */
  sendInTurn(text: string): void {
    const raw = (this as unknown as WithRawSocket)._socket;
    if (raw === undefined || raw === null || raw.destroyed) {
      this.send(text);
      return;
    }
    if (this.#corkedBytes < 0) {
      raw.cork();
      this.#corkedBytes = 0;
      process.nextTick(uncork, this);
    }
    const before = raw.writableLength;
    this.send(text);
    this.#corkedBytes += raw.writableLength - before;
    if (this.#corkedBytes >= MAX_CORKED_BYTES) this.flushTurn();
  }

  /** Writes the frames corked in this turn now (the turn's end does it otherwise). */
  flushTurn(): void {
    if (this.#corkedBytes < 0) return;
    this.#corkedBytes = -1;
    (this as unknown as WithRawSocket)._socket?.uncork();
  }

  /** Bytes queued that the network could not take yet: `bufferedAmount` less this turn's cork. */
  get unsentBytes(): number {
    return this.bufferedAmount - Math.max(0, this.#corkedBytes);
  }
}
