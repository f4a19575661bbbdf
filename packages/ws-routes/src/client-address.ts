import type { IncomingMessage } from 'node:http';

/**
 * The address connection attempts are counted against (docs/security.md#proxies).
 *
 * Without trusted proxies (`trustedHops` 0) it is the socket's peer. With `trustedHops` N, the
 * request went through N proxies of ours, each of which appended the address it saw to
 * `X-Forwarded-For`; the client address is therefore the N-th entry from the RIGHT. Entries
 * further left were written by the client itself and are never used: a client that sends
 * `X-Forwarded-For: 1.2.3.4` only adds an entry our proxies push leftwards. A header with fewer
 * than N entries (a request that bypassed a proxy) gives its left-most entry, as Express's
 * `trust proxy` with a hop count does; no header gives the socket's peer.
 *
 * @param request the upgrade (or HTTP) request
 * @param trustedHops how many proxies in front of the server append to `X-Forwarded-For`
 */
export function clientAddress(request: IncomingMessage, trustedHops: number): string {
  return (
    trustedForwardedEntry(request.headers['x-forwarded-for'], trustedHops) ??
    request.socket.remoteAddress ??
    'unknown'
  );
}

/**
 * The entry of a comma-separated forwarding header (`X-Forwarded-For`, `X-Forwarded-Proto`) that
 * the N-th trusted proxy from the server wrote: the N-th from the right, or the left-most when
 * there are fewer. Undefined without trusted hops or without the header.
 */
export function trustedForwardedEntry(
  header: string | string[] | undefined,
  trustedHops: number,
): string | undefined {
  if (trustedHops <= 0 || header === undefined) return undefined;
  const entries = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return undefined;
  return entries[Math.max(0, entries.length - trustedHops)];
}
