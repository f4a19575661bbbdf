import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { trustedForwardedEntry } from './client-address.js';

/**
 * The scheme the client used to reach us, for the same-origin check (docs/protocol.md#origins):
 * `https` on a TLS socket; behind trusted proxies (`trustedHops` > 0) the scheme their
 * `X-Forwarded-Proto` names (read like `X-Forwarded-For`, the N-th entry from the right);
 * otherwise `http`.
 */
export function requestScheme(request: IncomingMessage, trustedHops: number): 'http' | 'https' {
  if ((request.socket as Partial<TLSSocket>).encrypted === true) return 'https';
  const forwarded = trustedForwardedEntry(request.headers['x-forwarded-proto'], trustedHops);
  return forwarded?.toLowerCase() === 'https' ? 'https' : 'http';
}
