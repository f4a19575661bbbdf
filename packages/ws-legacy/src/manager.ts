/**
 * `@app/ws-legacy/manager` — stands for the old `websocket_core.manager` module.
 * Loading this entry emits `APPWS_DEP002` once per process.
 *
 * @deprecated Import from `'@app/ws-core'`. Removed in 2.0.
 * @packageDocumentation
 */
import { emitDeprecation } from './emit-deprecation.js';

export {
  WebSocketManager,
  WebSocketConnectionManager,
  getWebSocketManager,
} from './manager-aliases.js';
export { createWebSocketManager } from './create-web-socket-manager.js';
export { WebSocketManagerMode } from './manager-mode.js';

emitDeprecation('APPWS_DEP002');
