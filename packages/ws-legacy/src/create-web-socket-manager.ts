import { getWebSocketManager, type UserContext, type WebSocketManager } from '@app/ws-core';
import { emitDeprecation } from './emit-deprecation.js';
import type { WebSocketManagerMode } from './manager-mode.js';

/**
 * The old factory. Returns the caller's per-user manager from the default hub, exactly as
 * `getWebSocketManager(ctx)` does; `mode` is ignored, and passing one emits `APPWS_DEP005` once
 * per process.
 *
 * @param ctx - the user context (`createUserContext({ userId })` from `'@app/ws-core'`).
 * @param mode - ignored; no mode exists any more.
 * @throws {UserContextRequiredError} `WS_USER_CONTEXT_REQUIRED` without `ctx`, from the canonical factory.
 * @deprecated Use `getWebSocketManager(ctx)` from `'@app/ws-core'`. Removed in 2.0.
 */
export function createWebSocketManager(
  ctx: UserContext,
  mode?: WebSocketManagerMode,
): WebSocketManager {
  if (mode !== undefined) emitDeprecation('APPWS_DEP005');
  return getWebSocketManager(ctx);
}
