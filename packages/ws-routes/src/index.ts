export { attachWebSocketRoutes, type WebSocketRoutes } from './websocket-routes.js';
export type { WebSocketRoutesOptions } from './routes-options.js';
export {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './token-verifier.js';
export {
  createInMemoryTicketStore,
  DEFAULT_MAX_TICKETS_PER_USER,
  DEFAULT_TICKET_SWEEP_INTERVAL_MS,
  type InMemoryTicketStore,
  type InMemoryTicketStoreOptions,
} from './ticket-store.js';
export {
  createAttemptLimiter,
  type AttemptLimiter,
  type AttemptLimiterOptions,
  type AttemptDecision,
} from './attempt-limiter.js';
export { isOriginAllowed } from './origin-policy.js';
export { selectSubprotocol } from './subprotocol.js';
export type { RefusalCode } from './upgrade-refusal.js';
export type { WireMode } from './request-target.js';
export {
  WS_ROUTES_ERROR_CODES,
  WsRoutesError,
  AuthError,
  RoutesConfigError,
  isAuthError,
  type WsRoutesErrorCode,
  type AuthErrorCode,
} from './errors.js';
