import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatSweep, type HeartbeatPeer } from './heartbeat.js';

class FakePeer implements HeartbeatPeer {
  beating = true;
  awaitingPong = false;
  pings = 0;
  timedOut = 0;
  ping(): void {
    this.pings += 1;
  }
  heartbeatTimedOut(): void {
    this.timedOut += 1;
    this.beating = false;
  }
  pong(): void {
    this.awaitingPong = false;
  }
}

describe('HeartbeatSweep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings every beating peer each interval and times out those that did not answer', () => {
    const answering = new FakePeer();
    const silent = new FakePeer();
    const connecting = Object.assign(new FakePeer(), { beating: false });
    const peers = new Set<HeartbeatPeer>([answering, silent, connecting]);
    const sweep = new HeartbeatSweep(1000, peers);
    sweep.start();
    sweep.start();
    expect(vi.getTimerCount()).toBe(1);

    vi.advanceTimersByTime(1000);
    expect([answering.pings, silent.pings, connecting.pings]).toEqual([1, 1, 0]);
    answering.pong();
    vi.advanceTimersByTime(1000);
    expect([answering.pings, silent.pings]).toEqual([2, 1]);
    expect([answering.timedOut, silent.timedOut]).toEqual([0, 1]);
    answering.pong();
    vi.advanceTimersByTime(3000);
    expect(silent.timedOut).toBe(1);
    sweep.stop();
  });

  it('stops by itself once no peer is left', () => {
    const peers = new Set<HeartbeatPeer>();
    const sweep = new HeartbeatSweep(1000, peers);
    sweep.start();
    vi.advanceTimersByTime(1000);
    expect(vi.getTimerCount()).toBe(0);
    const peer = new FakePeer();
    peers.add(peer);
    sweep.start();
    vi.advanceTimersByTime(1000);
    expect(peer.pings).toBe(1);
    sweep.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
