import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startExpiryTimer } from './expiry-timer.js';

describe('startExpiryTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires at the deadline, never synchronously', () => {
    const fired = vi.fn();
    startExpiryTimer(new Date(Date.now() - 1), fired);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('moves with reset and stops', () => {
    const fired = vi.fn();
    const timer = startExpiryTimer(new Date(Date.now() + 1000), fired);
    vi.advanceTimersByTime(900);
    timer.reset(new Date(Date.now() + 1000));
    vi.advanceTimersByTime(900);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledOnce();
    const stopped = vi.fn();
    startExpiryTimer(new Date(Date.now() + 10), stopped).stop();
    vi.advanceTimersByTime(100);
    expect(stopped).not.toHaveBeenCalled();
  });
});
