/**
 * `@app/ws-legacy` — stands for the old package root (`websocket_core`). Every name here is the
 * canonical object of `@app/ws-core` / `@app/ws-protocol` under its old name, or a thin wrapper.
 * Loading this entry emits `APPWS_DEP001` once per process.
 *
 * @deprecated Import from `'@app/ws-core'` (and `CRITICAL_EVENTS` from `'@app/ws-protocol'`).
 * Removed in 2.0.
 * @packageDocumentation
 */
import { emitDeprecation } from './emit-deprecation.js';

export {
  WebSocketManager,
  UnifiedWebSocketManager,
  WebSocketConnectionManager,
  getWebSocketManager,
} from './manager-aliases.js';
export { createWebSocketManager } from './create-web-socket-manager.js';
export { WebSocketManagerMode } from './manager-mode.js';
export { CRITICAL_EVENTS } from './critical-events.js';

emitDeprecation('APPWS_DEP001');
