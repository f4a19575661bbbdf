import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AuthError, RoutesConfigError } from './errors.js';

/** A verified credential: who it names and until when it is valid. */
export interface VerifiedToken {
  /** The token's `sub`. */
  readonly userId: string;
  /** The token's `exp`. A connection opened with it closes with 4401 at that time. */
  readonly expiresAt: Date;
  /** Every claim of the token (never the token itself, so it cannot leak through logs). */
  readonly claims: JWTPayload;
}

/** Checks a JWT; made by {@link createTokenVerifier}, replaceable by any implementation. */
export interface TokenVerifier {
  /**
   * Resolves with the token's user and expiry, or rejects with an `AuthError`
   * (`WS_AUTH_MISSING`, `WS_AUTH_INVALID`, `WS_AUTH_EXPIRED`). The error message never contains
   * the token.
   */
  verify(token: string): Promise<VerifiedToken>;
}

/** How tokens are verified. Exactly one of `secret`, `publicKey` and `jwksUrl` is required. */
export interface TokenVerifierOptions {
  /** HMAC secret (HS256 by default). At least 32 bytes is advised. */
  secret?: string | Uint8Array;
  /** A PEM public key (SPKI or certificate's key): RSA → RS256, EC P-256 → ES256, Ed25519 → EdDSA. */
  publicKey?: string;
  /** A JWKS URL, fetched and cached by jose's `createRemoteJWKSet`. */
  jwksUrl?: string | URL;
  /** Required `iss` when set. */
  issuer?: string | string[];
  /** Required `aud` when set. */
  audience?: string | string[];
  /**
   * The accepted `alg` values. Default: `['HS256']` with a secret, the key's algorithm with a
   * public key, `['RS256', 'ES256', 'EdDSA']` with a JWKS URL. `none` is never accepted.
   */
  algorithms?: string[];
  /** Leeway for `exp`/`nbf`, in seconds. Default 0. */
  clockToleranceSec?: number;
}

/**
 * Makes the verifier of the endpoint's JWTs (jose underneath): the signature with one of the
 * allowed algorithms, `sub` and `exp` present, `iss`/`aud` when configured.
 *
 * @throws RoutesConfigError (`WS_ROUTES_CONFIG`) without exactly one key source, with an
 *   algorithm `none`, or with a public key that cannot be read.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const sources = [options.secret, options.publicKey, options.jwksUrl].filter(
    (source) => source !== undefined && source !== '',
  );
  if (sources.length !== 1) {
    throw new RoutesConfigError(
      'createTokenVerifier needs exactly one of `secret`, `publicKey` or `jwksUrl`',
    );
  }
  if (options.algorithms?.some((alg) => alg.toLowerCase() === 'none')) {
    throw new RoutesConfigError('the algorithm `none` is never accepted');
  }
  if (options.algorithms?.length === 0) {
    throw new RoutesConfigError('`algorithms` must name at least one algorithm');
  }

  const { key, algorithms } = resolveKey(options);
  const verifyOptions = {
    algorithms: options.algorithms ?? algorithms,
    requiredClaims: ['sub', 'exp'],
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    ...(options.clockToleranceSec === undefined
      ? {}
      : { clockTolerance: options.clockToleranceSec }),
  };

  return {
    async verify(token: string): Promise<VerifiedToken> {
      if (typeof token !== 'string' || token === '') {
        throw new AuthError('WS_AUTH_MISSING', 'no token was given');
      }
      let payload: JWTPayload;
      try {
        const result =
          typeof key === 'function'
            ? await jwtVerify(token, key, verifyOptions)
            : await jwtVerify(token, key, verifyOptions);
        payload = result.payload;
      } catch (error) {
        throw toAuthError(error);
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new AuthError('WS_AUTH_INVALID', 'the token has no `sub`');
      }
      if (typeof payload.exp !== 'number') {
        throw new AuthError('WS_AUTH_INVALID', 'the token has no `exp`');
      }
      assertTimeClaims(payload);
      return { userId: payload.sub, expiresAt: new Date(payload.exp * 1000), claims: payload };
    },
  };
}

/** 9999-12-31T23:59:59Z in seconds since the epoch: the latest time claim accepted. */
export const MAX_CLAIM_TIME_SECONDS = 253_402_300_799;

/**
 * `exp`, `nbf` and `iat`, when present, must be finite numbers that fit a date of at most year
 * 9999 (docs/security.md#tokens): jose only checks that they are numbers, and `exp: 1e13` would
 * make an Invalid Date whose NaN deadline breaks the expiry of every other connection.
 */
function assertTimeClaims(payload: JWTPayload): void {
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || Math.abs(value) > MAX_CLAIM_TIME_SECONDS) {
      throw new AuthError('WS_AUTH_INVALID', `the token's \`${claim}\` is not a valid time`);
    }
  }
}

type VerificationKey = Uint8Array | KeyObject | JWTVerifyGetKey;

function resolveKey(options: TokenVerifierOptions): {
  key: VerificationKey;
  algorithms: string[];
} {
  if (options.secret !== undefined && options.secret !== '') {
    const secret =
      typeof options.secret === 'string'
        ? new TextEncoder().encode(options.secret)
        : options.secret;
    return { key: secret, algorithms: ['HS256'] };
  }
  if (options.publicKey !== undefined && options.publicKey !== '') {
    let key: KeyObject;
    try {
      key = createPublicKey(options.publicKey);
    } catch (error) {
      throw new RoutesConfigError(
        `publicKey is not a readable PEM public key: ${(error as Error).message}`,
      );
    }
    return { key, algorithms: algorithmsForKey(key) };
  }
  const url = options.jwksUrl instanceof URL ? options.jwksUrl : new URL(String(options.jwksUrl));
  return { key: createRemoteJWKSet(url), algorithms: ['RS256', 'ES256', 'EdDSA'] };
}

function algorithmsForKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256'];
    case 'rsa-pss':
      return ['PS256'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      return ['ES256'];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new RoutesConfigError(
        `publicKey of type ${String(key.asymmetricKeyType)} is not supported; use RSA, EC or Ed25519`,
      );
  }
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof joseErrors.JWTExpired) {
    return new AuthError('WS_AUTH_EXPIRED', 'the token has expired');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AuthError('WS_AUTH_INVALID', `the token's claims are not accepted: ${error.claim}`);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new AuthError('WS_AUTH_INVALID', "the token's algorithm is not accepted");
  }
  if (error instanceof joseErrors.JOSEError) {
    return new AuthError('WS_AUTH_INVALID', `the token is not valid (${error.code})`);
  }
  // No `cause`: foreign errors may quote the input, and the token must never reach a log.
  return new AuthError('WS_AUTH_INVALID', 'the token could not be verified');
}
