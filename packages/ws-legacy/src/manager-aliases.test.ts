import * as core from '@app/ws-core';
import * as legacy from '@app/ws-legacy';
import * as managerEntry from '@app/ws-legacy/manager';
import * as unifiedEntry from '@app/ws-legacy/unified-manager';
import * as protocol from '@app/ws-protocol';
import { afterAll, describe, expect, it } from 'vitest';

const hub = core.createWebSocketHub();

afterAll(async () => {
  await hub.close();
  await core.getDefaultWebSocketHub().close();
});

describe('old manager names', () => {
  it('are the canonical WebSocketManager class itself, in every entry point', () => {
    expect(legacy.WebSocketManager).toBe(core.WebSocketManager);
    expect(legacy.UnifiedWebSocketManager).toBe(core.WebSocketManager);
    expect(legacy.WebSocketConnectionManager).toBe(core.WebSocketManager);
    expect(managerEntry.WebSocketManager).toBe(core.WebSocketManager);
    expect(managerEntry.WebSocketConnectionManager).toBe(core.WebSocketManager);
    expect(unifiedEntry.UnifiedWebSocketManager).toBe(core.WebSocketManager);
  });

  it('getWebSocketManager is the canonical function itself', () => {
    expect(legacy.getWebSocketManager).toBe(core.getWebSocketManager);
    expect(managerEntry.getWebSocketManager).toBe(core.getWebSocketManager);
    expect(unifiedEntry.getWebSocketManager).toBe(core.getWebSocketManager);
  });

  it('CRITICAL_EVENTS is the protocol array itself', () => {
    expect(legacy.CRITICAL_EVENTS).toBe(protocol.CRITICAL_EVENTS);
  });

  it('a manager from the canonical factory is an instance of every old class name', () => {
    const manager = core.getWebSocketManager(
      core.createUserContext({ userId: 'u-canonical' }),
      hub,
    );
    expect(manager).toBeInstanceOf(legacy.WebSocketManager);
    expect(manager).toBeInstanceOf(legacy.UnifiedWebSocketManager);
    expect(manager).toBeInstanceOf(legacy.WebSocketConnectionManager);
    expect(manager).toBeInstanceOf(managerEntry.WebSocketManager);
    expect(manager).toBeInstanceOf(unifiedEntry.UnifiedWebSocketManager);
  });

  it('a manager from the legacy factories is an instance of the canonical class', () => {
    const ctx = core.createUserContext({ userId: 'u-legacy' });
    const fromCreate = legacy.createWebSocketManager(ctx);
    const fromGet = legacy.getWebSocketManager(ctx, hub);
    expect(fromCreate).toBeInstanceOf(core.WebSocketManager);
    expect(fromGet).toBeInstanceOf(core.WebSocketManager);
    expect(fromCreate.userId).toBe('u-legacy');
  });
});
