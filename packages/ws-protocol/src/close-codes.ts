/**
 * WebSocket close codes the server uses (docs/protocol.md#close-codes), with what a client should do:
 *
 * | name | code | client should |
 * |---|---|---|
 * | `NORMAL` | 1000 | stay closed |
 * | `GOING_AWAY` | 1001 | server shutting down: reconnect (elsewhere) and resume |
 * | `UNSUPPORTED_DATA` | 1007 | invalid UTF-8: fix the client |
 * | `POLICY_VIOLATION` | 1008 | repeated invalid frames, abuse: stay closed |
 * | `MESSAGE_TOO_BIG` | 1009 | frame too large: fix the client |
 * | `INTERNAL_ERROR` | 1011 | reconnect with backoff and resume |
 * | `TRY_AGAIN_LATER` | 1013 | overloaded: reconnect with backoff and resume |
 * | `SLOW_CONSUMER` | 4000 | outbound buffer passed its bound: reconnect and resume |
 * | `AUTH_EXPIRED` | 4401 | credentials expired or revoked: get a new token, then reconnect |
 * | `HEARTBEAT_TIMEOUT` | 4408 | reconnect and resume |
 * | `RATE_LIMITED` | 4429 | rate limit abuse: wait, then reconnect |
 */
export const CLOSE_CODES = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
  SLOW_CONSUMER: 4000,
  AUTH_EXPIRED: 4401,
  HEARTBEAT_TIMEOUT: 4408,
  RATE_LIMITED: 4429,
} as const;

/** One of the {@link CLOSE_CODES} values. */
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
