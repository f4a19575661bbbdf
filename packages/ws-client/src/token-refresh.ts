import { decodeJwtExpiry } from './jwt-expiry.js';

/** Default lead time before a token's `exp` at which the client sends `auth` with a fresh token. */
export const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 60_000;

/** The shortest wait between two refreshes, so a provider handing out nearly expired tokens cannot spin. */
export const MIN_REFRESH_DELAY_MS = 1_000;

/**
 * How long to wait, from `nowMs`, before sending `auth` with a fresh token: `refreshBeforeExpiryMs`
 * before `expiresAtMs`, but never less than half the remaining lifetime (so a token that lives
 * shorter than the lead time is not refreshed in a loop) nor less than
 * {@link MIN_REFRESH_DELAY_MS}.
 *
 * @param expiresAtMs the token's `exp`, in epoch milliseconds (see `decodeJwtExpiry`)
 * @param nowMs the current time, in epoch milliseconds
 * @param refreshBeforeExpiryMs the lead time; default {@link DEFAULT_REFRESH_BEFORE_EXPIRY_MS} (60 s)
 */
export function computeRefreshDelay(
  expiresAtMs: number,
  nowMs: number,
  refreshBeforeExpiryMs: number = DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
): number {
  const remaining = expiresAtMs - nowMs;
  return Math.max(remaining - refreshBeforeExpiryMs, remaining / 2, MIN_REFRESH_DELAY_MS);
}

/** What a {@link TokenRefresher} needs from its connection. */
export interface TokenRefresherOptions {
  /** Lead time before `exp`; see {@link computeRefreshDelay}. */
  refreshBeforeExpiryMs: number;
  /** A fresh token, or `undefined` when none could be had (already reported). */
  fetchToken: () => Promise<string | undefined>;
  /** Sends `auth` with `token` on the connection. */
  sendAuth: (token: string) => void;
}

/**
 * Keeps one connection's credentials fresh: before the current JWT expires, fetches a new one and
 * sends it in an `auth` message, then watches the new one. One instance per connection, stopped
 * when the connection closes (a late token then goes nowhere). Tokens without a readable `exp` are
 * not refreshed; the server's 4401 at expiry then leads to a reconnect with a fresh token.
 */
export class TokenRefresher {
  readonly #options: TokenRefresherOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(options: TokenRefresherOptions) {
    this.#options = options;
  }

  /** Plans the refresh of `token` (the one the connection currently holds). */
  watch(token: string): void {
    clearTimeout(this.#timer);
    const expiresAt = decodeJwtExpiry(token);
    if (this.#stopped || expiresAt === undefined) return;
    const delay = computeRefreshDelay(expiresAt, Date.now(), this.#options.refreshBeforeExpiryMs);
    this.#timer = setTimeout(() => {
      void this.#refresh();
    }, delay);
  }

  /** The connection closed. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #refresh(): Promise<void> {
    const token = await this.#options.fetchToken();
    if (token === undefined || this.#stopped) return;
    this.#options.sendAuth(token);
    this.watch(token);
  }
}
