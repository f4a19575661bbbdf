/** Reconnect delay bounds. */
export interface BackoffOptions {
  /** The ceiling of the first retry's delay, doubled per failed attempt. Default 250 ms. */
  baseMs?: number;
  /** The largest ceiling. Default 30,000 ms. */
  capMs?: number;
}

/** The defaults of {@link BackoffOptions}. */
export const DEFAULT_BACKOFF = { baseMs: 250, capMs: 30_000 } as const;

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry): exponential backoff with
 * full jitter, `random() * min(capMs, baseMs * 2^attempt)`, rounded down to whole milliseconds.
 * Full jitter spreads the reconnects of many clients dropped at once (a server restart) over the
 * whole window instead of bunching them at its edge.
 *
 * @param attempt how many attempts failed since the last `welcome` (0 or more)
 * @param options `baseMs` (250), `capMs` (30,000) and `random` (`Math.random`, a number in [0, 1))
 */
export function computeBackoffDelay(
  attempt: number,
  options: BackoffOptions & { random?: () => number } = {},
): number {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const capMs = options.capMs ?? DEFAULT_BACKOFF.capMs;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
