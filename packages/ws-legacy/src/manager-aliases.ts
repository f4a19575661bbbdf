/**
 * The old manager names, each bound to the one canonical object of `@app/ws-core`. Declared as
 * `const` + `type` rather than `export { … } from`, because TypeScript ignores `@deprecated` on a
 * re-export specifier; declared here once so every entry point shares the same bindings.
 */
import {
  WebSocketManager as CanonicalWebSocketManager,
  getWebSocketManager as canonicalGetWebSocketManager,
} from '@app/ws-core';

/**
 * @deprecated Use `WebSocketManager` from `'@app/ws-core'` (the same class). Removed in 2.0.
 */
export const WebSocketManager = CanonicalWebSocketManager;
/**
 * @deprecated Use `WebSocketManager` from `'@app/ws-core'` (the same class). Removed in 2.0.
 */
export type WebSocketManager = CanonicalWebSocketManager;

/**
 * @deprecated Use `WebSocketManager` from `'@app/ws-core'`: there is one manager, no "unified"
 * variant (the same class). Removed in 2.0.
 */
export const UnifiedWebSocketManager = CanonicalWebSocketManager;
/**
 * @deprecated Use `WebSocketManager` from `'@app/ws-core'`: there is one manager, no "unified"
 * variant (the same class). Removed in 2.0.
 */
export type UnifiedWebSocketManager = CanonicalWebSocketManager;

/**
 * @deprecated Use `WebSocketManager` from `'@app/ws-core'`: connections belong to the per-user
 * manager (the same class). Removed in 2.0.
 */
export const WebSocketConnectionManager = CanonicalWebSocketManager;
/**
 * @deprecated Use `WebSocketManager` from `'@app/ws-core'`: connections belong to the per-user
 * manager (the same class). Removed in 2.0.
 */
export type WebSocketConnectionManager = CanonicalWebSocketManager;

/**
 * @deprecated Use `getWebSocketManager` from `'@app/ws-core'` (the same function). Removed in 2.0.
 */
export const getWebSocketManager = canonicalGetWebSocketManager;
