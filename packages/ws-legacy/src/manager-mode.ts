/**
 * The old manager modes. Modes are gone: there is one per-user manager, whatever was asked
 * for, so these values are accepted and ignored. Kept only so old code still compiles.
 *
 * @deprecated No replacement: modes are ignored. Drop the argument and call
 * `getWebSocketManager(ctx)` from `'@app/ws-core'`. Removed in 2.0.
 */
export const WebSocketManagerMode = Object.freeze({
  UNIFIED: 'unified',
  ISOLATED: 'isolated',
  EMERGENCY: 'emergency',
  DEGRADED: 'degraded',
} as const);

/**
 * One of the old manager modes.
 *
 * @deprecated No replacement: modes are ignored. Drop the argument and call
 * `getWebSocketManager(ctx)` from `'@app/ws-core'`. Removed in 2.0.
 */
export type WebSocketManagerMode = (typeof WebSocketManagerMode)[keyof typeof WebSocketManagerMode];
