import { createWebSocketHub, type WebSocketHub } from './hub';
import type { WebSocketManager } from './manager';
import { assertUserContext, type UserContext } from './user-context';

/**
 * The one convenience default, made on first use. The package is ESM-only, so a process holds
 * one copy of this module and therefore one default hub.
 */
let defaultHub: WebSocketHub | undefined;

/**
 * The process's default hub (all defaults: in-memory engine, no agents), created on first use
 * and replaced by a new one after it was closed.
 */
export function getDefaultWebSocketHub(): WebSocketHub {
  if (defaultHub === undefined || defaultHub.isClosed) defaultHub = createWebSocketHub();
  return defaultHub;
}

/**
 * The factory: the one manager of the user in `hub` (default: the process's default hub).
 * Concurrent calls for one user return the same instance; different users share no state.
 * @param userContext From `createUserContext({ userId })`. Required: there is no anonymous manager.
 * @param hub Default: `getDefaultWebSocketHub()`.
 * @throws UserContextRequiredError (`WS_USER_CONTEXT_REQUIRED`) without a context.
 * @throws InvalidUserContextError (`WS_INVALID_USER_CONTEXT`) for an unacceptable user id.
 */
export function getWebSocketManager(
  userContext: UserContext,
  hub?: WebSocketHub,
): WebSocketManager {
  assertUserContext(userContext);
  return (hub ?? getDefaultWebSocketHub()).getManager(userContext);
}
