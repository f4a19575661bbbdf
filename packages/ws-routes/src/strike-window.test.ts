import { describe, expect, it } from 'vitest';
import { StrikeWindow } from './strike-window.js';

describe('StrikeWindow', () => {
  it('reports when limit strikes fall within the window', () => {
    let now = 0;
    const window = new StrikeWindow(3, 1000, () => now);
    expect(window.strike()).toBe(false);
    now = 100;
    expect(window.strike()).toBe(false);
    now = 200;
    expect(window.strike()).toBe(true);
  });

  it('forgets strikes older than the window', () => {
    let now = 0;
    const window = new StrikeWindow(3, 1000, () => now);
    window.strike();
    window.strike();
    now = 1500;
    expect(window.strike()).toBe(false);
    expect(window.strike()).toBe(false);
    expect(window.strike()).toBe(true);
  });
});
