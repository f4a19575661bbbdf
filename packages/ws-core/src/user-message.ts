import type { Logger } from '@app/logging-ssot';
import type { UnsequencedEvent } from '@app/ws-protocol';
import type { BoundedHooks } from './bounded-hook';
import { isoTimestamp } from './iso-timestamp';
import { randomId } from './random-id';
import type { RunLease, StreamEngine } from './stream-engine';

/** The chat whose `user_message` is recorded. @internal */
export interface UserMessageInput {
  readonly userId: string;
  readonly runId: string;
  readonly threadId: string;
  readonly text: string;
  readonly lease: RunLease;
}

/**
 * Records a chat's `user_message` (payload `{messageId, text}`, a new `m_` id): runs the
 * `onUserMessage` hook first, bounded by `hookTimeoutMs`, so what it persists exists before
 * any client sees the event; then appends the event under the run's lease. @internal
 */
export async function appendUserMessage(
  engine: StreamEngine,
  hooks: BoundedHooks,
  message: UserMessageInput,
  logger: Logger,
): Promise<void> {
  const { userId, runId, threadId, text, lease } = message;
  const messageId = randomId('m_');
  const ts = isoTimestamp(Date.now());
  await hooks.onUserMessage(
    { userId, threadId, runId, messageId, text, ts },
    logger.child({ runId, threadId }),
  );
  const event = {
    type: 'user_message',
    runId,
    threadId,
    ts,
    payload: { messageId, text },
  } as UnsequencedEvent;
  await engine.append(userId, event, { lease });
}
