import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpiryQueue, type ExpiryEntry } from './expiry-queue.js';

interface Entry extends ExpiryEntry {
  readonly name: string;
}

const entry = (name: string): Entry => ({ name, expiryAt: 0, expiryIndex: -1 });

describe('ExpiryQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires at the deadline, never synchronously', () => {
    const fired = vi.fn();
    const queue = new ExpiryQueue<Entry>(fired);
    const late = entry('late');
    queue.schedule(late, Date.now() - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(fired).toHaveBeenCalledExactlyOnceWith(late);
    expect(queue.size).toBe(0);
    expect(late.expiryIndex).toBe(-1);
  });

  it('takes a deadline that is no number as passed, and keeps serving the others', () => {
    const fired = vi.fn();
    const queue = new ExpiryQueue<Entry>(fired);
    const victim = entry('victim');
    const invalid = entry('invalid');
    queue.schedule(victim, Date.now() + 1000);
    queue.schedule(invalid, Number.NaN);
    vi.advanceTimersByTime(0);
    expect(fired).toHaveBeenCalledExactlyOnceWith(invalid);
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveBeenLastCalledWith(victim);
    expect(queue.size).toBe(0);
  });

  it('moves a deadline when scheduled again, and cancels', () => {
    const fired = vi.fn();
    const queue = new ExpiryQueue<Entry>(fired);
    const refreshed = entry('refreshed');
    queue.schedule(refreshed, Date.now() + 1000);
    vi.advanceTimersByTime(900);
    queue.schedule(refreshed, Date.now() + 1000);
    vi.advanceTimersByTime(900);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledExactlyOnceWith(refreshed);

    const cancelled = entry('cancelled');
    queue.schedule(cancelled, Date.now() + 10);
    queue.cancel(cancelled);
    queue.cancel(cancelled);
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one timer for many entries and fires each in deadline order', () => {
    const fired: string[] = [];
    const queue = new ExpiryQueue<Entry>((e) => fired.push(e.name));
    const start = Date.now();
    const entries = Array.from({ length: 200 }, (_, i) => entry(`e${i}`));
    // A fixed shuffle of deadlines 1..200 ms ahead, some moved and some cancelled.
    const deadlineOf = (i: number): number => start + 1 + ((i * 73) % 200);
    entries.forEach((e, i) => queue.schedule(e, deadlineOf(i)));
    expect(vi.getTimerCount()).toBe(1);
    for (let i = 0; i < 200; i += 7) queue.schedule(entries[i]!, start + 300 + i);
    for (let i = 3; i < 200; i += 11) queue.cancel(entries[i]!);
    const expected = entries
      .map((e, i) => ({
        name: e.name,
        at: i % 7 === 0 ? start + 300 + i : deadlineOf(i),
        cancelled: i % 11 === 3,
      }))
      .filter((e) => !e.cancelled)
      .sort((a, b) => a.at - b.at);

    vi.advanceTimersByTime(150);
    expect(fired).toEqual(expected.filter((e) => e.at <= start + 150).map((e) => e.name));
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(expected.map((e) => e.name));
    expect(queue.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-arms when its timer fires before the clock reaches the deadline', () => {
    const fired = vi.fn();
    let lag = 5;
    const queue = new ExpiryQueue<Entry>(fired, () => Date.now() - lag);
    queue.schedule(entry('e'), Date.now() + 100);
    vi.advanceTimersByTime(100);
    expect(fired).not.toHaveBeenCalled();
    lag = 0;
    vi.advanceTimersByTime(5);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('clear() forgets every entry and stops the timer', () => {
    const fired = vi.fn();
    const queue = new ExpiryQueue<Entry>(fired);
    const kept = entry('kept');
    queue.schedule(kept, Date.now() + 10);
    queue.schedule(entry('other'), Date.now() + 20);
    queue.clear();
    expect(kept.expiryIndex).toBe(-1);
    vi.advanceTimersByTime(100);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
