import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  ConnectionLimitError,
  createUserContext,
  type ConnectionReservation,
  type WebSocketManager,
} from '@app/ws-core';
import type { Server as WebSocketServer } from 'ws';
import { clientAddress } from './client-address.js';
import { findCredential, type CredentialProblem, type CredentialSource } from './credentials.js';
import { isAuthError } from './errors.js';
import { isOriginAllowed } from './origin-policy.js';
import { requestScheme } from './request-scheme.js';
import { readRequestTarget, type ConnectResume, type WireMode } from './request-target.js';
import type { RouteMetrics } from './route-metrics.js';
import type { ResolvedRoutesOptions } from './routes-options.js';
import type { SessionSocket } from './connection-session.js';
import type { VerifiedToken } from './token-verifier.js';
import { writeRefusal, type UpgradeRefusal } from './upgrade-refusal.js';

/** An upgrade that passed every check, with a connection slot held for it. */
interface AcceptedUpgrade {
  /** The slot held for the connection: `connect` it, or `release` it. */
  readonly reservation: ConnectionReservation;
  readonly token: VerifiedToken;
  readonly credentialSource: CredentialSource;
  readonly manager: WebSocketManager;
  readonly mode: WireMode;
  readonly resume: ConnectResume | undefined;
}

/** The outcome of {@link checkUpgrade}. */
type UpgradeDecision =
  { ok: true; accepted: AcceptedUpgrade } | { ok: false; refusal: UpgradeRefusal };

/** What the checks read besides the request. */
interface UpgradeCheckContext {
  readonly options: ResolvedRoutesOptions;
  /** True once the routes are closing. */
  isClosing(): boolean;
}

const CREDENTIAL_PROBLEMS: Readonly<Record<CredentialProblem, UpgradeRefusal>> = {
  missing: { status: 401, code: 'credentials_missing', message: 'credentials are required' },
  token_in_query: {
    status: 401,
    code: 'token_in_query',
    message:
      'a token in the query is never accepted; use the Authorization header, a bearer subprotocol or a ticket',
  },
  malformed_header: {
    status: 401,
    code: 'credentials_invalid',
    message: 'the Authorization header must be `Bearer <token>`',
  },
};

/**
 * Runs the checks of docs/protocol.md#refused-upgrades in their order, the first failing one answering: 503 not ready
 * or shutting down; 404 unknown path; 400 unknown mode; 403 origin; 429 attempts from this
 * address (with `Retry-After`); 401 credentials; 429 connections of this user. On success a
 * connection slot is held, to be released by the caller if the upgrade does not complete.
 */
async function checkUpgrade(
  request: IncomingMessage,
  context: UpgradeCheckContext,
): Promise<UpgradeDecision> {
  const { options } = context;
  const unavailable = readinessRefusal(context);
  if (unavailable !== undefined) return refuse(unavailable);

  const target = readRequestTarget(request.url);
  if (!target.ok) {
    return target.status === 404
      ? refuse({ status: 404, code: 'not_found', message: 'no WebSocket endpoint at this path' })
      : refuse({ status: 400, code: 'unknown_mode', message: '`mode` must be `v1` or `legacy`' });
  }

  const { origin, host } = request.headers;
  const scheme = requestScheme(request, options.trustProxy);
  if (!isOriginAllowed(origin, host, options.allowedOrigins, scheme)) {
    return refuse({
      status: 403,
      code: 'origin_not_allowed',
      message: 'this origin is not allowed',
    });
  }

  try {
    const attempt = await options.attemptLimiter.consume(
      clientAddress(request, options.trustProxy),
    );
    if (!attempt.allowed) {
      return refuse({
        status: 429,
        code: 'too_many_attempts',
        message: 'too many connection attempts from this address',
        retryAfterMs: attempt.retryAfterMs,
      });
    }
  } catch {
    return refuse(storeUnavailable());
  }

  const found = findCredential(request, target.query);
  if (!found.ok) return refuse(CREDENTIAL_PROBLEMS[found.problem]);
  const { credential } = found;
  let token: VerifiedToken;
  try {
    if (credential.kind === 'jwt') {
      token = await options.auth.verify(credential.token);
    } else {
      const redeemed = await options.tickets.redeem(credential.ticket);
      if (redeemed === undefined) {
        return refuse({
          status: 401,
          code: 'credentials_invalid',
          message: 'the ticket is unknown, used or expired',
        });
      }
      token = redeemed;
    }
  } catch (error) {
    if (!isAuthError(error)) return refuse(storeUnavailable());
    return error.code === 'WS_AUTH_EXPIRED'
      ? refuse({ status: 401, code: 'token_expired', message: 'the token has expired' })
      : refuse({
          status: 401,
          code: 'credentials_invalid',
          message: 'the credentials are not valid',
        });
  }

  let manager: WebSocketManager;
  try {
    manager = options.hub.getManager(createUserContext({ userId: token.userId }));
  } catch {
    return refuse({
      status: 401,
      code: 'credentials_invalid',
      message: 'the token names no valid user',
    });
  }

  // The slot is core's (counted across nodes by the engine); the connection registered with the
  // reservation holds it, and core releases it when the connection closes.
  let reservation: ConnectionReservation;
  try {
    reservation = await manager.reserveConnection();
  } catch (error) {
    if (!(error instanceof ConnectionLimitError)) return refuse(storeUnavailable());
    return refuse({
      status: 429,
      code: 'too_many_connections',
      message: `this user already holds ${error.limit} connections`,
    });
  }

  // Shutdown may have begun while the credentials were checked.
  const late = readinessRefusal(context);
  if (late !== undefined) {
    reservation.release();
    return refuse(late);
  }
  return {
    ok: true,
    accepted: {
      reservation,
      token,
      credentialSource: credential.source,
      manager,
      mode: target.mode,
      resume: target.resume,
    },
  };
}

/** What the `upgrade` listener needs besides the checks. */
export interface UpgradeListenerContext extends UpgradeCheckContext {
  /** Creates {@link SessionSocket}s (its `WebSocket` option). */
  readonly server: WebSocketServer<typeof SessionSocket>;
  readonly metrics: RouteMetrics;
  connected(socket: SessionSocket, accepted: AcceptedUpgrade): void;
}

/**
 * The HTTP server's `upgrade` listener: checks first, so an unauthenticated client never holds a
 * socket; a refusal is a plain HTTP response, then the socket is destroyed.
 */
export function createUpgradeListener(
  context: UpgradeListenerContext,
): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { options, metrics } = context;
  const logger = options.logger;

  const refuseUpgrade = (
    request: IncomingMessage,
    socket: Duplex,
    refusal: UpgradeRefusal,
  ): void => {
    metrics.refused(refusal.status);
    // The path only: the query may hold a ticket (or a token sent against the rules).
    const fields = { status: refusal.status, reason: refusal.code, path: pathOf(request.url) };
    if (refusal.status === 429 || refusal.status === 503) logger.debug('upgrade refused', fields);
    else logger.info('upgrade refused', fields);
    writeRefusal(socket, refusal);
  };

  return (request, socket, head) => {
    const swallow = (): void => {};
    // A peer may reset the connection while the checks run; that must not crash the process.
    socket.on('error', swallow);
    let upgraded = false;
    checkUpgrade(request, context)
      .then((decision) => {
        if (!decision.ok) {
          refuseUpgrade(request, socket, decision.refusal);
          return;
        }
        const { accepted } = decision;
        if (socket.destroyed) {
          accepted.reservation.release();
          return;
        }
        context.server.handleUpgrade(request, socket, head, (webSocket) => {
          upgraded = true;
          context.connected(webSocket, accepted);
        });
        socket.off('error', swallow);
        if (!upgraded) {
          // ws refused the handshake itself (a bad key or version) and answered 400.
          accepted.reservation.release();
          metrics.refused(400);
        }
      })
      .catch((error: unknown) => {
        logger.error('upgrade failed', { error });
        // Past the upgrade the socket speaks WebSocket: no HTTP answer can be written any more.
        if (upgraded) return;
        refuseUpgrade(request, socket, {
          status: 503,
          code: 'unavailable',
          message: 'try again later',
        });
      });
  };
}

function readinessRefusal(context: UpgradeCheckContext): UpgradeRefusal | undefined {
  if (context.isClosing() || context.options.hub.isShuttingDown) {
    return { status: 503, code: 'shutting_down', message: 'the server is shutting down' };
  }
  if (!context.options.isReady()) {
    return { status: 503, code: 'not_ready', message: 'the server is not ready' };
  }
  return undefined;
}

function storeUnavailable(): UpgradeRefusal {
  return {
    status: 503,
    code: 'unavailable',
    message: 'the server cannot check this request right now',
    retryAfterMs: 1000,
  };
}

function refuse(refusal: UpgradeRefusal): UpgradeDecision {
  return { ok: false, refusal };
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}
