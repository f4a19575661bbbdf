/** setTimeout's longest delay; a later expiry re-arms on the way. */
const MAX_TIMER_MS = 2_147_483_647;

/** A timer for a credential's expiry that can be moved when the credential is refreshed. */
export interface ExpiryTimer {
  /** Moves the deadline (after an `auth` refresh). */
  reset(expiresAt: Date): void;
  stop(): void;
}

/** Calls `onExpired` once `expiresAt` has passed — never synchronously, even if it already has. */
export function startExpiryTimer(expiresAt: Date, onExpired: () => void): ExpiryTimer {
  let timer: NodeJS.Timeout | undefined;
  let deadline = expiresAt.getTime();

  const arm = (): void => {
    const delay = Math.max(0, deadline - Date.now());
    timer = setTimeout(
      () => {
        if (Date.now() >= deadline) {
          timer = undefined;
          onExpired();
        } else {
          arm();
        }
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
  };
  const stop = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  arm();
  return {
    reset(next) {
      stop();
      deadline = next.getTime();
      arm();
    },
    stop,
  };
}
