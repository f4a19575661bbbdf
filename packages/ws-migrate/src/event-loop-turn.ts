/**
 * Scan and fix read and parse file after file synchronously; on a large tree they hand the
 * event loop a turn now and then, so a host process's timers and I/O are not starved.
 */

/** Files processed between two turns given to the event loop. */
export const YIELD_EVERY = 256;

/** Lets pending I/O and timers run in the middle of a long scan or fix. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
