import { CLOSE_CODES, type CloseCode } from '@app/ws-protocol/constants';

/**
 * What the client does after the connection closed with a given code (docs/protocol.md#close-codes):
 * - `stay_closed`: stop (1000 normal, 1008 policy violation);
 * - `fix_client`: stop and surface an error — retrying would fail the same way (1007, 1009);
 * - `reconnect`: reconnect with backoff and resume;
 * - `renew_credentials`: ask `getToken`/`getTicket` for fresh credentials, then reconnect (4401);
 * - `wait`: reconnect no sooner than `rateLimitDelayMs` (default 5 s) or the backoff, whichever is
 *   larger (4429).
 */
export type CloseAction = 'stay_closed' | 'fix_client' | 'reconnect' | 'renew_credentials' | 'wait';

/** The action for every close code of docs/protocol.md#close-codes; other codes (1005, 1006, 1012, …) reconnect. */
export const CLOSE_ACTIONS: Readonly<Record<CloseCode, CloseAction>> = {
  [CLOSE_CODES.NORMAL]: 'stay_closed',
  [CLOSE_CODES.GOING_AWAY]: 'reconnect',
  [CLOSE_CODES.UNSUPPORTED_DATA]: 'fix_client',
  [CLOSE_CODES.POLICY_VIOLATION]: 'stay_closed',
  [CLOSE_CODES.MESSAGE_TOO_BIG]: 'fix_client',
  [CLOSE_CODES.INTERNAL_ERROR]: 'reconnect',
  [CLOSE_CODES.TRY_AGAIN_LATER]: 'reconnect',
  [CLOSE_CODES.SLOW_CONSUMER]: 'reconnect',
  [CLOSE_CODES.AUTH_EXPIRED]: 'renew_credentials',
  [CLOSE_CODES.HEARTBEAT_TIMEOUT]: 'reconnect',
  [CLOSE_CODES.RATE_LIMITED]: 'wait',
};

/** The least wait after close 4429 (rate-limit abuse) unless the backoff is longer. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 5_000;

/**
 * The {@link CloseAction} for a close `code`. Codes outside docs/protocol.md#close-codes — 1006 (abnormal, which is
 * also what a browser reports for a refused upgrade), 1005, 1012 and the like — reconnect.
 */
export function getCloseAction(code: number): CloseAction {
  return Object.hasOwn(CLOSE_ACTIONS, code) ? CLOSE_ACTIONS[code as CloseCode] : 'reconnect';
}

/** Whether the client stops after `action` instead of reconnecting. */
export function isTerminalCloseAction(action: CloseAction): boolean {
  return action === 'stay_closed' || action === 'fix_client';
}
