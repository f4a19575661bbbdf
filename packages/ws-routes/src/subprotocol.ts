import type { IncomingMessage } from 'node:http';
import { BEARER_PROTOCOL_PREFIX, SUBPROTOCOL } from '@app/ws-protocol';

/** The subprotocols a client offered, in order (`Sec-WebSocket-Protocol`, comma-separated). */
export function offeredSubprotocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== '');
}

/**
 * The subprotocol the server selects: the endpoint's own (`chat.v1`, or `ai-sdk` on
 * `/ai-sdk/ws`) when offered, otherwise none (`false`). It never selects a credential-carrying
 * `bearer.<JWT>` offer — `ws` would echo the first offer by default, which would put the token
 * into the response headers.
 *
 * @param wanted the endpoint's subprotocol. Default `chat.v1`.
 */
export function selectSubprotocol(
  offered: ReadonlySet<string> | readonly string[],
  wanted: string = SUBPROTOCOL,
): string | false {
  for (const protocol of offered) {
    if (protocol === wanted) return wanted;
  }
  return false;
}

/** The JWT of the first offered `bearer.<JWT>` subprotocol, if any. */
export function bearerFromSubprotocols(offered: readonly string[]): string | undefined {
  const bearer = offered.find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX));
  return bearer?.slice(BEARER_PROTOCOL_PREFIX.length);
}
