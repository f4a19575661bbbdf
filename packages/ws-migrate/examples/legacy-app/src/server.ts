// A chat server still wired through the legacy entry points.
import { createWebSocketManager, WebSocketManagerMode, UnifiedWebSocketManager } from '@app/ws-legacy';
import { CRITICAL_EVENTS } from '@app/ws-legacy/manager';
import { centralLogger } from '@app/ws-legacy/logging';

export interface RequestContext {
  userId: string;
}

export function managerFor(ctx: RequestContext): UnifiedWebSocketManager {
  centralLogger.info('manager requested', { userId: ctx.userId });
  return createWebSocketManager(ctx, WebSocketManagerMode.UNIFIED);
}

export function isCritical(type: string): boolean {
  return (CRITICAL_EVENTS as readonly string[]).includes(type);
}
