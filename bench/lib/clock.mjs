import { setImmediate } from 'node:timers';

/**
 * Wall-clock time in milliseconds with sub-millisecond resolution, comparable across the
 * processes of one machine (each process derives it from the same system clock at start).
 * Latencies are `receive now() - emit now()` taken in different processes.
 */
export function now() {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Yields to the event loop (lets queued I/O run). */
export function yieldNow() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Rejects with `label` when `promise` does not settle within `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} label
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, label) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
