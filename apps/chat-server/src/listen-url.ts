import { isIP } from 'node:net';

/**
 * The URL to open for a server listening on `host:port`. A wildcard address (`0.0.0.0`, `::`)
 * is shown as the loopback address, which is what a browser on the same machine can open.
 */
export function formatListenUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' || host === '[::]' ? '::1' : host;
  const bare = shown.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) === 6 ? `http://[${bare}]:${port}` : `http://${bare}:${port}`;
}
