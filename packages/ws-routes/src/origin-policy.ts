/**
 * Decides whether a browser upgrade from `origin` may proceed (docs/protocol.md#origins).
 *
 * - No `Origin` header (not a browser): always allowed.
 * - `allowedOrigins` unset: only same-origin requests: the Origin's scheme is the request's
 *   (`scheme`, see `requestScheme`) and its host and port are the `Host` header's.
 * - `allowedOrigins` set: only the listed origins (compared as `scheme://host[:port]`, without a
 *   default port or trailing slash).
 *
 * `Origin: null` (sandboxed frames, file pages) is never same-origin.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[] | undefined,
  scheme: 'http' | 'https' = 'http',
): boolean {
  if (origin === undefined) return true;
  const parsed = parseOrigin(origin);
  if (parsed === undefined) return false;
  if (allowedOrigins !== undefined) {
    return allowedOrigins.some((allowed) => parseOrigin(allowed)?.origin === parsed.origin);
  }
  if (host === undefined || host === '') return false;
  // An http page is another origin than the https one of the same host (and vice versa).
  if (parsed.protocol !== `${scheme}:`) return false;
  return normaliseHost(host, parsed.protocol) === parsed.host;
}

/** Normalises an allow-list once, so a typo is found at start rather than at the first browser. */
export function normaliseAllowedOrigins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    const parsed = parseOrigin(origin);
    if (parsed === undefined) throw new TypeError(`not an origin: ${JSON.stringify(origin)}`);
    return parsed.origin;
  });
}

function parseOrigin(origin: string): URL | undefined {
  if (origin === 'null' || origin === '') return undefined;
  try {
    return new URL(origin.trim());
  } catch {
    return undefined;
  }
}

/** `URL.host` drops the scheme's default port; the Host header may still carry it. */
function normaliseHost(host: string, protocol: string): string {
  const lower = host.trim().toLowerCase();
  const defaultPort = protocol === 'https:' || protocol === 'wss:' ? ':443' : ':80';
  return lower.endsWith(defaultPort) ? lower.slice(0, -defaultPort.length) : lower;
}
