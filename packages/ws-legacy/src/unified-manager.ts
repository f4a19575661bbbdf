/**
 * `@app/ws-legacy/unified-manager` — stands for the old `websocket_core.unified_manager` module.
 * Loading this entry emits `APPWS_DEP003` once per process.
 *
 * @deprecated Import from `'@app/ws-core'`. Removed in 2.0.
 * @packageDocumentation
 */
import { emitDeprecation } from './emit-deprecation.js';

export { UnifiedWebSocketManager, getWebSocketManager } from './manager-aliases.js';
export { createWebSocketManager } from './create-web-socket-manager.js';
export { WebSocketManagerMode } from './manager-mode.js';

emitDeprecation('APPWS_DEP003');
