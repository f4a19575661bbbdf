import type { RunFeed } from '@app/ws-core';
import { AgUiRunTranslator } from './run-translator';
import { SSE_KEEP_ALIVE, sseEventFrame } from './sse-frame';

/** Options of {@link runEventStream}. */
export interface RunEventStreamOptions {
  /** Send the AG-UI events numbered above this only (`Last-Event-ID`). Default 0: all. */
  readonly afterId?: number;
  /** A keep-alive comment after this much quiet, in ms. Default 15000. */
  readonly keepAliveMs?: number;
}

/** Default {@link RunEventStreamOptions.keepAliveMs}. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;

const encoder = new TextEncoder();

/**
 * The body of an AG-UI response: a followed run's events translated to AG-UI
 * ({@link AgUiRunTranslator}, numbered from 1 per run), those numbered above `afterId` written as
 * SSE messages with their number as `id:`, a keep-alive comment whenever nothing was written for
 * `keepAliveMs`, closed after the run's terminal event (or when the user's stream was reset).
 *
 * The feed must be fresh (not started): the stream starts it. Cancelling the stream (the client
 * went away) closes the feed and nothing else — the run goes on, and can be followed again.
 * Nothing is dropped for a slow reader: what it has not read yet is held, bounded by the run's
 * own bounds (`maxRunEvents`, `maxRunBytes`).
 */
export function runEventStream(
  feed: RunFeed,
  options: RunEventStreamOptions = {},
): ReadableStream<Uint8Array> {
  const afterId = options.afterId ?? 0;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  const translator = new AgUiRunTranslator();
  let timer: ReturnType<typeof setInterval> | undefined;
  let wrote = false;
  let done = false;
  const stop = (): void => {
    done = true;
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string): void => {
        wrote = true;
        controller.enqueue(encoder.encode(text));
      };
      timer = setInterval(() => {
        if (!wrote && !done) write(SSE_KEEP_ALIVE);
        wrote = false;
      }, keepAliveMs);
      timer.unref?.();
      feed.start({
        onEvent(event) {
          if (done) return;
          let frames = '';
          for (const numbered of translator.translate(event)) {
            if (numbered.id > afterId) frames += sseEventFrame(numbered);
          }
          if (frames.length > 0) write(frames);
        },
        onEnd() {
          if (done) return;
          stop();
          controller.close();
        },
      });
    },
    cancel() {
      stop();
      return feed.close();
    },
  });
}
