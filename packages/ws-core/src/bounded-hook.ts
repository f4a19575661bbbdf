import type { Logger } from '@app/logging-ssot';
import { unrefTimeout } from './timers';

/**
 * Awaits `call()` for at most `timeoutMs`. Resolves true when it settled successfully in time;
 * false when it rejected, threw or ran past the bound — that failure is logged once (warn) and
 * the caller goes on. A late rejection after the bound is swallowed (already logged as late).
 */
export function runBoundedHook(
  name: string,
  call: () => Promise<void>,
  timeoutMs: number,
  logger: Logger,
): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const timer = unrefTimeout(() => {
      if (settled) return;
      settled = true;
      logger.warn(`Hook ${name} exceeded its bound; going on without it`, {
        hook: name,
        timeoutMs,
      });
      resolve(false);
    }, timeoutMs);
    const done = (ok: boolean, error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!ok) {
        logger.warn(`Hook ${name} failed; going on without it`, {
          hook: name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      resolve(ok);
    };
    try {
      call().then(
        () => done(true),
        (error: unknown) => done(false, error),
      );
    } catch (error) {
      done(false, error);
    }
  });
}
