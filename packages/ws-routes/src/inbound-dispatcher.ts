import { wireErrorOf, type ConnectionHandle, type WebSocketManager } from '@app/ws-core';
import type { Logger } from '@app/logging-ssot';
import {
  type ClientMessage,
  type ErrorCode,
  type ErrorFrame,
  type MessageId,
} from '@app/ws-protocol';
import { quotedInput } from './quoted-input.js';
import type { TokenVerifier, VerifiedToken } from './token-verifier.js';

/** What the dispatcher acts on for one connection. */
export interface DispatchTarget {
  readonly userId: string;
  readonly manager: Pick<WebSocketManager, 'chat' | 'cancelRun'>;
  readonly handle: Pick<ConnectionHandle, 'resume' | 'sendControl'>;
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
  /** An `auth` message carried a valid token for the same user. */
  refreshCredentials(token: VerifiedToken): void;
  /** An `auth` message was refused: send `error token_expired`, then close 4401. */
  rejectCredentials(ref: MessageId | undefined): void;
}

/**
 * Carries out one valid client message (docs/protocol.md#5-client-messages): `ping` → `pong`; `chat` → the manager's
 * `chat`, then `ack {ref, runId, threadId}`; `cancel` → `ack` or `error not_found`; `resume` →
 * the connection's resume (core sends the replay and `resumed`); `auth` → verify the token for
 * the same user → `ack`, or `error token_expired` and close 4401. An `ack` is sent only for a
 * message with an `id`. Failures of core become the `error` frames ws-core's registry gives them
 * (`wireErrorOf`); anything else is `internal`.
 */
export async function dispatchClientMessage(
  message: ClientMessage,
  target: DispatchTarget,
): Promise<void> {
  const ref = message.id;
  const send = target.handle.sendControl.bind(target.handle);
  try {
    switch (message.type) {
      case 'ping':
        send(ref === undefined ? { type: 'pong' } : { type: 'pong', ref });
        return;
      case 'chat': {
        // The ack goes out from `onAccepted`, before `user_message` is appended, so the client
        // learns its run id before the run's first event arrives (docs/protocol.md#5-client-messages).
        await target.manager.chat({
          text: message.text,
          ...(message.threadId === undefined ? {} : { threadId: message.threadId }),
          ...(message.agent === undefined ? {} : { agent: message.agent }),
          ...(ref === undefined ? {} : { clientMessageId: ref }),
          onAccepted: ({ runId, threadId }) => {
            if (ref !== undefined) send({ type: 'ack', ref, runId, threadId });
          },
        });
        return;
      }
      case 'cancel': {
        const cancelled = await target.manager.cancelRun(message.runId);
        if (!cancelled) {
          send(
            errorFrame('not_found', `no running run ${quotedInput(message.runId)} of yours`, ref),
          );
        } else if (ref !== undefined) {
          send({ type: 'ack', ref });
        }
        return;
      }
      case 'resume':
        await target.handle.resume(message.lastSeq, message.epoch);
        return;
      case 'auth': {
        let token: VerifiedToken;
        try {
          token = await target.verifier.verify(message.token);
        } catch {
          target.rejectCredentials(ref);
          return;
        }
        if (token.userId !== target.userId) {
          target.logger.warn('auth message named another user; closing');
          target.rejectCredentials(ref);
          return;
        }
        target.refreshCredentials(token);
        if (ref !== undefined) send({ type: 'ack', ref });
        return;
      }
    }
  } catch (error) {
    send(coreErrorFrame(error, ref, target.logger));
  }
}

/** An `error` frame, with `ref` and `retryAfterMs` only when there are some. */
export function errorFrame(
  code: ErrorCode,
  message: string,
  ref?: MessageId,
  retryAfterMs?: number,
): ErrorFrame {
  return {
    type: 'error',
    code,
    message,
    ...(ref === undefined ? {} : { ref }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Maps a failure of core to the wire as ws-core's error registry says; `internal` otherwise. */
function coreErrorFrame(error: unknown, ref: MessageId | undefined, logger: Logger): ErrorFrame {
  const wire = wireErrorOf(error);
  if (wire !== undefined) return errorFrame(wire.code, wire.message, ref, wire.retryAfterMs);
  logger.error('client message failed', { error });
  return errorFrame('internal', 'the server failed to handle this message', ref);
}
