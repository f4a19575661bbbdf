/**
 * The `exp` claim of a JWT in epoch milliseconds, read WITHOUT verifying the signature (the client
 * only needs to know when to refresh; the server verifies). `undefined` when the token is not a
 * JWT or has no numeric `exp`. Browser-safe: base64url through `atob`, UTF-8 through `TextDecoder`.
 */
export function decodeJwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(payload));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** base64url (RFC 4648 §5, padding optional) to a UTF-8 string. Throws on malformed input. */
export function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
