import { describe, expect, it } from 'vitest';
import {
  computeRefreshDelay,
  DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
  MIN_REFRESH_DELAY_MS,
} from './token-refresh.js';

describe('computeRefreshDelay', () => {
  const now = 1_000_000;

  it('refreshes refreshBeforeExpiryMs (default 60 s) before exp', () => {
    expect(DEFAULT_REFRESH_BEFORE_EXPIRY_MS).toBe(60_000);
    expect(computeRefreshDelay(now + 600_000, now)).toBe(540_000);
    expect(computeRefreshDelay(now + 600_000, now, 120_000)).toBe(480_000);
  });

  it('waits at least half the remaining lifetime for tokens shorter than the lead time', () => {
    expect(computeRefreshDelay(now + 90_000, now)).toBe(45_000);
    expect(computeRefreshDelay(now + 30_000, now)).toBe(15_000);
  });

  it('never waits less than the minimum, even for an expired token', () => {
    expect(computeRefreshDelay(now + 1_500, now)).toBe(MIN_REFRESH_DELAY_MS);
    expect(computeRefreshDelay(now - 10_000, now)).toBe(MIN_REFRESH_DELAY_MS);
  });
});
