import {
  createUserContext,
  getDefaultWebSocketHub,
  getWebSocketManager,
  type UserContext,
} from '@app/ws-core';
import {
  afterAll,
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  vi,
  type MockInstance,
} from 'vitest';
import { createWebSocketManager } from './create-web-socket-manager.js';
import { DEPRECATION_CODES } from './deprecation-codes.js';
import { forgetEmittedDeprecations } from './emit-deprecation.js';
import { WebSocketManagerMode } from './manager-mode.js';

let emitWarning: MockInstance<typeof process.emitWarning>;

function modeWarnings(): number {
  return emitWarning.mock.calls.filter(
    (call) => (call[1] as { code?: unknown } | undefined)?.code === 'APPWS_DEP005',
  ).length;
}

beforeEach(() => {
  forgetEmittedDeprecations();
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await getDefaultWebSocketHub().close();
});

describe('createWebSocketManager (legacy factory)', () => {
  it('returns what getWebSocketManager(ctx) returns, without warning when no mode is given', () => {
    const ctx = createUserContext({ userId: 'u-plain' });
    const manager = createWebSocketManager(ctx);
    expect(manager).toBe(getWebSocketManager(ctx));
    expect(manager.userId).toBe('u-plain');
    expect(emitWarning).not.toHaveBeenCalled();
  });

  it('ignores the mode: every mode yields the same per-user manager', () => {
    const ctx = createUserContext({ userId: 'u-modes' });
    const canonical = getWebSocketManager(ctx);
    for (const mode of Object.values(WebSocketManagerMode)) {
      expect(createWebSocketManager(ctx, mode)).toBe(canonical);
    }
  });

  it('warns APPWS_DEP005 once per process when a mode is given', () => {
    const ctx = createUserContext({ userId: 'u-warn' });
    createWebSocketManager(ctx, WebSocketManagerMode.UNIFIED);
    createWebSocketManager(ctx, WebSocketManagerMode.ISOLATED);
    expect(modeWarnings()).toBe(1);
    expect(emitWarning).toHaveBeenCalledWith(DEPRECATION_CODES.APPWS_DEP005.message, {
      type: 'DeprecationWarning',
      code: 'APPWS_DEP005',
    });
  });

  it('passes the canonical error through when the context is missing', () => {
    expect(() => createWebSocketManager(undefined as unknown as UserContext)).toThrow(
      expect.objectContaining({ code: 'WS_USER_CONTEXT_REQUIRED' }),
    );
  });
});
