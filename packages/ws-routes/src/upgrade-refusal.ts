import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The `error` code in the JSON body of a refused upgrade. Browsers cannot read it (they see close
 * 1006); other clients can tell why they were refused.
 */
export type RefusalCode =
  /** 503: `isReady()` is false. */
  | 'not_ready'
  /** 503: the routes or the hub are shutting down. */
  | 'shutting_down'
  /** 503: a shared store (attempt limiter, tickets) failed. */
  | 'unavailable'
  /** 404: not a WebSocket path. */
  | 'not_found'
  /** 400: `?mode=` other than `v1` or `legacy`. */
  | 'unknown_mode'
  /** 403: the Origin is not allowed. */
  | 'origin_not_allowed'
  /** 429: too many connection attempts from this address; see `Retry-After`. */
  | 'too_many_attempts'
  /** 401: no credential. */
  | 'credentials_missing'
  /** 401: a bad signature, algorithm, claim, issuer, audience, or an unknown or used ticket. */
  | 'credentials_invalid'
  /** 401: the token has expired. */
  | 'token_expired'
  /** 401: a `?token=` query parameter, never accepted. */
  | 'token_in_query'
  /** 429: the user already holds the most connections allowed. */
  | 'too_many_connections';

/** Why an upgrade is refused: the HTTP status and the small JSON body. */
export interface UpgradeRefusal {
  readonly status: 400 | 401 | 403 | 404 | 429 | 503;
  readonly code: RefusalCode;
  readonly message: string;
  /** Sent as `Retry-After` (whole seconds, rounded up) with a 429 or 503. */
  readonly retryAfterMs?: number;
}

/**
 * Writes a refusal as a plain HTTP response on the upgrade's socket, then destroys the socket:
 * the client never holds a WebSocket.
 */
export function writeRefusal(socket: Duplex, refusal: UpgradeRefusal): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: refusal.code, message: refusal.message });
  const headers = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  if (refusal.retryAfterMs !== undefined) {
    headers.push(`Retry-After: ${Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))}`);
  }
  // Destroying right after `end` could cut the response off, so the socket is destroyed once
  // the write is done (or at once if it fails), as `ws` does for its own refusals.
  socket.once('finish', () => socket.destroy());
  socket.once('error', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
