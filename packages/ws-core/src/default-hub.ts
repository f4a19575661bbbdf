import { createWebSocketHub, type WebSocketHub } from './hub';
import type { WebSocketManager } from './manager';
import { assertUserContext, type UserContext } from './user-context';

/**
 * Where the default hub lives: on `globalThis` under a registered symbol, so that the ESM and
 * CJS builds of this package, loaded side by side, share one default hub.
 */
const DEFAULT_HUB_KEY = Symbol.for('@app/ws-core/default-hub');

type GlobalWithHub = typeof globalThis & { [DEFAULT_HUB_KEY]?: WebSocketHub };

/**
 * The process's default hub (all defaults: in-memory engine, no agents), created on first use
 * and replaced by a new one after it was closed.
 */
export function getDefaultWebSocketHub(): WebSocketHub {
  const holder = globalThis as GlobalWithHub;
  let hub = holder[DEFAULT_HUB_KEY];
  if (hub === undefined || hub.isClosed) {
    hub = createWebSocketHub();
    holder[DEFAULT_HUB_KEY] = hub;
  }
  return hub;
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
