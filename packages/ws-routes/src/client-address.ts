import type { IncomingMessage } from 'node:http';

/**
 * The address connection attempts are counted against: the socket's peer, or with `trustProxy`
 * the first (client-most) entry of `X-Forwarded-For`, as Express and Fastify do with
 * `trustProxy: true`. Enable it only behind a proxy that sets that header itself, or clients can
 * pick their own address.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = request.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header[0] : header;
    const first = value?.split(',')[0]?.trim();
    if (first !== undefined && first !== '') return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
