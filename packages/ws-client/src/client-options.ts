import type { MessageId } from '@app/ws-protocol';
import type { BackoffOptions } from './backoff.js';
import { buildConnectRequest } from './connect-request.js';
import { ChatClientError } from './errors.js';
import type { StreamPosition } from './event-sequencer.js';
import type { LivenessOptions } from './liveness.js';
import type { WebSocketConstructor } from './websocket-like.js';

/**
 * Why the client asks for a credential:
 * - `connect`: the first connection attempt;
 * - `reconnect`: a later attempt;
 * - `rejected`: the server closed with 4401 (expired or revoked): do not hand out a cached token;
 * - `refresh`: the `auth` message before the current token expires (and, in ticket mode, to learn
 *   when it expires).
 */
export type CredentialReason = 'connect' | 'reconnect' | 'rejected' | 'refresh';

/** Returns a JWT (or a ticket, for `getTicket`), fresh enough for `reason`. */
export type CredentialProvider = (context: {
  reason: CredentialReason;
}) => string | Promise<string>;

/** Options of `createChatClient`. */
export interface ChatClientOptions {
  /** The endpoint, e.g. `wss://chat.example.com/ws`; relative URLs resolve against `location` in browsers. */
  url: string;
  /**
   * Returns the user's JWT. Called before every connection attempt (offered as the subprotocol
   * `bearer.<JWT>` unless `getTicket` is given) and for the `auth` refresh before it expires.
   */
  getToken: CredentialProvider;
  /**
   * Returns a single-use ticket from `POST /api/v1/ws-ticket`. When given, every attempt connects
   * with `?ticket=` and offers only `chat.v1`. Default: none (bearer subprotocol).
   */
  getTicket?: CredentialProvider;
  /** The WebSocket class, e.g. `ws`'s in Node. Default: `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect backoff with full jitter. Default `{ baseMs: 250, capMs: 30000 }`. */
  backoff?: BackoffOptions;
  /** Sends `auth` with a fresh token this long before the current one's `exp`. Default 60,000 ms. */
  refreshBeforeExpiryMs?: number;
  /** Random numbers in [0, 1) for the backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** How long `chat()` and `cancel()` wait for their `ack`, over reconnects. Default 30,000 ms. */
  requestTimeoutMs?: number;
  /** An attempt without `welcome` this long after it started counts as failed. Default 10,000 ms. */
  connectTimeoutMs?: number;
  /** The least wait after close 4429 (the backoff applies when longer). Default 5,000 ms. */
  rateLimitDelayMs?: number;
  /** Client pings on silence to notice dead connections; `false` turns them off. Default `{}`. */
  liveness?: LivenessOptions | false;
  /** A position to resume from on the first connection (e.g. `client.position` of an earlier client). */
  position?: StreamPosition;
}

/**
 * Checks what `createChatClient` cannot work without and returns the WebSocket class to use.
 *
 * @throws ChatClientError `invalid_options` when there is no WebSocket class or `url` is not a URL
 */
export function checkClientOptions(options: ChatClientOptions): WebSocketConstructor {
  const WebSocketClass =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!WebSocketClass) {
    throw new ChatClientError(
      'invalid_options',
      'No WebSocket class: pass the `WebSocket` option (e.g. the `ws` package) where there is no global one',
    );
  }
  try {
    buildConnectRequest(options.url, { ticket: '' });
  } catch (cause) {
    throw new ChatClientError('invalid_options', `Not a URL: ${options.url}`, { cause });
  }
  return WebSocketClass;
}

/** Options of `client.chat(text, options)`. */
export interface ChatOptions {
  /** The thread to continue; the server makes a new one when absent. */
  threadId?: string;
  /** The agent to run; the server's default when absent. */
  agent?: string;
  /** The message id, for idempotent retries by the application. Default: a fresh random id. */
  id?: MessageId;
  /** Overrides `requestTimeoutMs` for this message. */
  timeoutMs?: number;
}

/** What `client.chat()` resolves to: from the message's `ack`. */
export interface ChatResult {
  runId: string;
  threadId: string;
}

/** Options of `client.cancel(runId, options)`. */
export interface CancelOptions {
  /** The message id. Default: a fresh random id. */
  id?: MessageId;
  /** Overrides `requestTimeoutMs` for this message. */
  timeoutMs?: number;
}
