/**
 * Every error this package throws carries a stable `code` from this list (documented in the
 * README). Codes are never reused for another meaning.
 */
export const WS_ROUTES_ERROR_CODES = [
  'WS_AUTH_MISSING',
  'WS_AUTH_INVALID',
  'WS_AUTH_EXPIRED',
  'WS_ROUTES_CONFIG',
] as const;

/** One of {@link WS_ROUTES_ERROR_CODES}. */
export type WsRoutesErrorCode = (typeof WS_ROUTES_ERROR_CODES)[number];

/** Base class of every error of `@app/ws-routes`; recognise it by `code` as well as `instanceof`. */
export class WsRoutesError extends Error {
  readonly code: WsRoutesErrorCode;

  constructor(code: WsRoutesErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WsRoutesError';
    this.code = code;
  }
}

/** The codes an {@link AuthError} can carry. */
export type AuthErrorCode = 'WS_AUTH_MISSING' | 'WS_AUTH_INVALID' | 'WS_AUTH_EXPIRED';

/**
 * A credential was missing, invalid or expired. The message never contains the credential.
 * `WS_AUTH_MISSING`: nothing to verify; `WS_AUTH_INVALID`: bad signature, algorithm, claims,
 * issuer, audience, or an unknown ticket; `WS_AUTH_EXPIRED`: `exp` is in the past.
 */
export class AuthError extends WsRoutesError {
  declare readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AuthError';
  }
}

/** Options that cannot work together (`WS_ROUTES_CONFIG`), thrown when routes or verifiers are made. */
export class RoutesConfigError extends WsRoutesError {
  declare readonly code: 'WS_ROUTES_CONFIG';

  constructor(message: string) {
    super('WS_ROUTES_CONFIG', message);
    this.name = 'RoutesConfigError';
  }
}

/** True for an {@link AuthError}, also across copies of this package (ESM and CJS side by side). */
export function isAuthError(error: unknown): error is AuthError {
  if (error instanceof AuthError) return true;
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = error.code;
  return code === 'WS_AUTH_MISSING' || code === 'WS_AUTH_INVALID' || code === 'WS_AUTH_EXPIRED';
}
