import type { StreamPosition } from './event-sequencer.js';
import { BEARER_PROTOCOL_PREFIX, SUBPROTOCOL } from '@app/ws-protocol/constants';

/** The credential of one connection attempt. */
export type ConnectCredential = { token: string } | { ticket: string };

/** What `new WebSocket(url, protocols)` is called with. */
export interface ConnectRequest {
  url: string;
  protocols: string[];
}

/**
 * The URL and subprotocols of one connection attempt (docs/protocol.md#1-connecting):
 * - a token is offered as `bearer.<token>` after `chat.v1` (which the server selects; `chat.v1`
 *   comes first so that even a server choosing the first offer never echoes the credential);
 * - a ticket goes in `?ticket=` and only `chat.v1` is offered;
 * - a held position adds `?lastSeq=N&epoch=E`, so the server resumes at connect time.
 *
 * `baseUrl` may be relative in a browser (resolved against `location.href`).
 */
export function buildConnectRequest(
  baseUrl: string,
  credential: ConnectCredential,
  position?: StreamPosition,
): ConnectRequest {
  const url = new URL(baseUrl, typeof location === 'undefined' ? undefined : location.href);
  const protocols: string[] = [SUBPROTOCOL];
  if ('ticket' in credential) url.searchParams.set('ticket', credential.ticket);
  else protocols.push(BEARER_PROTOCOL_PREFIX + credential.token);
  if (position) {
    url.searchParams.set('lastSeq', String(position.lastSeq));
    url.searchParams.set('epoch', position.epoch);
  }
  return { url: url.toString(), protocols };
}
