import { CLOSE_CODES } from '@app/ws-protocol';

/** The close code ws sends for other protocol failures (bad opcode, unmasked frame...). */
const PROTOCOL_ERROR = 1002;

/** ws reports protocol failures as errors with these codes; the close code it sends for each. */
const RECEIVER_ERROR_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: CLOSE_CODES.MESSAGE_TOO_BIG,
  WS_ERR_INVALID_UTF8: CLOSE_CODES.UNSUPPORTED_DATA,
};

/** The close code ws sends after a socket error with this `code`. */
export function socketErrorCloseCode(errorCode: string | undefined): number {
  const code = errorCode === undefined ? undefined : RECEIVER_ERROR_CLOSE_CODES[errorCode];
  return code ?? PROTOCOL_ERROR;
}

/** How a connection closes when core's `connect` failed, and what is logged about it. */
export interface ConnectFailureClose {
  readonly code: number;
  readonly reason: string;
  /** Absent when the failure is expected and not worth a line (shutting down). */
  /** An `error` line carries the error. */
  readonly log?: { readonly level: 'info' | 'error'; readonly message: string };
}

/** The close for a failure of core's `connect`, told apart by the error's `code`. */
export function connectFailureClose(error: unknown): ConnectFailureClose {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'WS_CONNECTION_LIMIT') {
    // Another node took the last slot between the check and `connect`.
    return {
      code: CLOSE_CODES.TRY_AGAIN_LATER,
      reason: 'too many connections',
      log: { level: 'info', message: 'connection limit reached after the upgrade; closing' },
    };
  }
  if (code === 'WS_SHUTTING_DOWN') {
    return { code: CLOSE_CODES.GOING_AWAY, reason: 'server shutting down' };
  }
  return {
    code: CLOSE_CODES.INTERNAL_ERROR,
    reason: 'internal error',
    log: { level: 'error', message: 'connect failed' },
  };
}
