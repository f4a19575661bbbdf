/**
 * Uses every export of every legacy entry point, in value and in type positions. Linted by
 * `src/deprecated-jsdoc.test.ts` with `@typescript-eslint/no-deprecated` switched on: each use
 * must be reported. Never imported or run.
 */
import * as root from '@app/ws-legacy';
import * as logging from '@app/ws-legacy/logging';
import * as manager from '@app/ws-legacy/manager';
import * as unified from '@app/ws-legacy/unified-manager';
import type { UserContext } from '@app/ws-core';

export function useRoot(ctx: UserContext): unknown[] {
  const typed: root.WebSocketManager = root.createWebSocketManager(
    ctx,
    root.WebSocketManagerMode.UNIFIED,
  );
  const unifiedTyped: root.UnifiedWebSocketManager = root.getWebSocketManager(ctx);
  const connectionTyped: root.WebSocketConnectionManager = typed;
  const mode: root.WebSocketManagerMode = 'unified';
  return [
    typed instanceof root.WebSocketManager,
    unifiedTyped instanceof root.UnifiedWebSocketManager,
    connectionTyped instanceof root.WebSocketConnectionManager,
    root.CRITICAL_EVENTS,
    mode,
  ];
}

export function useManager(ctx: UserContext): unknown[] {
  const typed: manager.WebSocketManager = manager.createWebSocketManager(
    ctx,
    manager.WebSocketManagerMode.ISOLATED,
  );
  const connectionTyped: manager.WebSocketConnectionManager = manager.getWebSocketManager(ctx);
  const mode: manager.WebSocketManagerMode = 'isolated';
  return [
    typed instanceof manager.WebSocketManager,
    connectionTyped instanceof manager.WebSocketConnectionManager,
    mode,
  ];
}

export function useUnifiedManager(ctx: UserContext): unknown[] {
  const typed: unified.UnifiedWebSocketManager = unified.createWebSocketManager(
    ctx,
    unified.WebSocketManagerMode.EMERGENCY,
  );
  const mode: unified.WebSocketManagerMode = 'degraded';
  return [typed instanceof unified.UnifiedWebSocketManager, unified.getWebSocketManager(ctx), mode];
}

export function useLogging(): void {
  logging.getUnifiedLogger('fixture').info('hello');
  logging.centralLogger.info('hello');
}
