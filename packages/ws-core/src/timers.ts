/** A timer handle, whatever the runtime's `setTimeout` returns. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * `setTimeout` that does not keep the process alive: ws-core's timers (stall, eviction, sweep,
 * lease renewal) must never delay an exit.
 */
export function unrefTimeout(fn: () => void, ms: number): TimerHandle {
  const handle = setTimeout(fn, ms);
  (handle as { unref?: () => void }).unref?.();
  return handle;
}

/** `setInterval` that does not keep the process alive. */
export function unrefInterval(fn: () => void, ms: number): ReturnType<typeof setInterval> {
  const handle = setInterval(fn, ms);
  (handle as { unref?: () => void }).unref?.();
  return handle;
}
