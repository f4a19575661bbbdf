import type { Logger } from '@app/logging-ssot';
import type { ChatAdmissionInfo, RunCompletionInfo, RunHooks, UserMessageInfo } from './run-hooks';
import { unrefTimeout } from './timers';

/**
 * Awaits `call()` for at most `timeoutMs`. Resolves true when it settled successfully in time;
 * false when it rejected, threw or ran past the bound — that failure is logged once (warn) and
 * the caller goes on. A late rejection after the bound is swallowed (already logged as late).
 */
function runBoundedHook(
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

/**
 * The hub's persistence hooks, each call bounded by `hookTimeoutMs` (see {@link runBoundedHook}).
 * A hook that is not set resolves true at once. @internal
 */
export class BoundedHooks {
  readonly #hooks: RunHooks;
  readonly #timeoutMs: number;

  constructor(hooks: RunHooks, timeoutMs: number) {
    this.#hooks = hooks;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * `admitChat`: resolves when the chat is admitted (also past the bound, logged once); rejects
   * with the hook's rejection when it refuses the chat in time.
   */
  admitChat(info: ChatAdmissionInfo, logger: Logger): Promise<void> {
    const hook = this.#hooks.admitChat?.bind(this.#hooks);
    if (hook === undefined) return Promise.resolve();
    const timeoutMs = this.#timeoutMs;
    return new Promise<void>((resolve, reject) => {
      const timer = unrefTimeout(() => {
        logger.warn('Hook admitChat exceeded its bound; admitting the chat', {
          hook: 'admitChat',
          timeoutMs,
        });
        resolve();
      }, timeoutMs);
      Promise.resolve()
        .then(() => hook(info))
        .then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
    });
  }

  /** `onUserMessage`, before the chat's `user_message` is appended. */
  onUserMessage(info: UserMessageInfo, logger: Logger): Promise<boolean> {
    const hook = this.#hooks.onUserMessage?.bind(this.#hooks);
    if (hook === undefined) return Promise.resolve(true);
    return runBoundedHook('onUserMessage', () => hook(info), this.#timeoutMs, logger);
  }

  /** `beforeRunCompleted`, before the run's terminal event is appended. */
  beforeRunCompleted(info: RunCompletionInfo, logger: Logger): Promise<boolean> {
    const hook = this.#hooks.beforeRunCompleted?.bind(this.#hooks);
    if (hook === undefined) return Promise.resolve(true);
    return runBoundedHook('beforeRunCompleted', () => hook(info), this.#timeoutMs, logger);
  }
}
