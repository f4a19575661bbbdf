import type { ChatStatus } from 'ai';
import { useEffect, useRef } from 'react';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/**
 * Whether `error` is a lost connection rather than a failed run: the transport errors its
 * streams with a `TypeError` naming the network when the socket drops or cannot open, and a
 * ticket request that cannot reach the server fails the same way. (AbstractChat applies the same
 * test before keeping the interrupted message for `resumeStream`.)
 */
function isConnectionLoss(error: Error | undefined): boolean {
  if (!(error instanceof TypeError)) return false;
  const message = error.message.toLowerCase();
  return message.includes('network') || message.includes('fetch') || message === 'load failed';
}

/** What {@link useResumeAfterDrop} watches and calls: useChat's own fields. */
export interface ResumableChat {
  status: ChatStatus;
  error: Error | undefined;
  resumeStream: () => Promise<void>;
}

/**
 * After a dropped connection, calls `resumeStream()` until it gets through: 250 ms, then twice
 * as long each failed attempt, at most 5 s apart. The transport opens a new socket (with a new
 * ticket) and asks for the thread's run from its first chunk; useChat rebuilds the interrupted
 * message from that replay, so the answer is shown once, whole. Returns whether it is resuming.
 */
export function useResumeAfterDrop({ status, error, resumeStream }: ResumableChat): boolean {
  const attempts = useRef(0);
  const lost = status === 'error' && isConnectionLoss(error);

  useEffect(() => {
    if (!lost) {
      if (status !== 'submitted') attempts.current = 0;
      return;
    }
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempts.current);
    attempts.current += 1;
    const timer = setTimeout(() => void resumeStream(), delay);
    return () => clearTimeout(timer);
  }, [lost, status, error, resumeStream]);

  return lost;
}
