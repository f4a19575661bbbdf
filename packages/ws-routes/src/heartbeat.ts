/** A connection kept alive by a {@link HeartbeatSweep}. */
export interface HeartbeatPeer {
  /** False while the peer takes no part: still connecting, closing or closed. */
  readonly beating: boolean;
  /**
   * Set by the sweep when it pings, cleared by the peer's pong. The sweep's own bookkeeping,
   * kept on the peer so that a connection costs no timer and no closure of its own.
   */
  awaitingPong: boolean;
  /** Sends a WebSocket ping. */
  ping(): void;
  /** The ping of the previous sweep has had no pong. Called once; the peer closes. */
  heartbeatTimedOut(): void;
}

/**
 * One timer for every connection of an endpoint (the pattern `ws` documents): every
 * `intervalMs` it closes the peers whose ping of the previous sweep has had no pong, and pings the
 * others (docs/protocol.md#heartbeat: a peer that misses a pong within one interval is dead). A peer is pinged
 * at the first sweep after it begins beating, so its first ping comes within one interval and a
 * silent peer is closed between one and two intervals after its last pong — the bounds a timer
 * per connection had, at the cost of one timer in all.
 */
export class HeartbeatSweep {
  readonly #intervalMs: number;
  readonly #peers: ReadonlySet<HeartbeatPeer>;
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param intervalMs the ping interval
   * @param peers the endpoint's connections, read at each sweep (the sweep keeps no set of its own)
   */
  constructor(intervalMs: number, peers: ReadonlySet<HeartbeatPeer>) {
    this.#intervalMs = intervalMs;
    this.#peers = peers;
  }

  /** Starts sweeping unless it already does; it stops by itself once `peers` is empty. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    if (this.#peers.size === 0) {
      this.stop();
      return;
    }
    for (const peer of this.#peers) {
      if (!peer.beating) continue;
      if (peer.awaitingPong) {
        peer.heartbeatTimedOut();
      } else {
        peer.awaitingPong = true;
        peer.ping();
      }
    }
  }
}
