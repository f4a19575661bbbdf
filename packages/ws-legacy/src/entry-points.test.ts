import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DEPRECATION_CODES, type DeprecationCode } from './deprecation-codes.js';

interface EntryPoint {
  specifier: string;
  load: () => Promise<Record<string, unknown>>;
  code: DeprecationCode;
  exports: string[];
}

const ENTRY_POINTS: EntryPoint[] = [
  {
    specifier: '@app/ws-legacy',
    load: () => import('@app/ws-legacy'),
    code: 'APPWS_DEP001',
    exports: [
      'CRITICAL_EVENTS',
      'UnifiedWebSocketManager',
      'WebSocketConnectionManager',
      'WebSocketManager',
      'WebSocketManagerMode',
      'createWebSocketManager',
      'getWebSocketManager',
    ],
  },
  {
    specifier: '@app/ws-legacy/manager',
    load: () => import('@app/ws-legacy/manager'),
    code: 'APPWS_DEP002',
    exports: [
      'WebSocketConnectionManager',
      'WebSocketManager',
      'WebSocketManagerMode',
      'createWebSocketManager',
      'getWebSocketManager',
    ],
  },
  {
    specifier: '@app/ws-legacy/unified-manager',
    load: () => import('@app/ws-legacy/unified-manager'),
    code: 'APPWS_DEP003',
    exports: [
      'UnifiedWebSocketManager',
      'WebSocketManagerMode',
      'createWebSocketManager',
      'getWebSocketManager',
    ],
  },
  {
    specifier: '@app/ws-legacy/logging',
    load: () => import('@app/ws-legacy/logging'),
    code: 'APPWS_DEP004',
    exports: ['centralLogger', 'getUnifiedLogger'],
  },
];

let emitWarning: MockInstance<typeof process.emitWarning>;

/** The codes of this project's warnings emitted so far (other warnings are not ours to count). */
function warnedCodes(): unknown[] {
  return emitWarning.mock.calls
    .map((call) => (call[1] as { code?: unknown } | undefined)?.code)
    .filter((code) => typeof code === 'string' && code.startsWith('APPWS_'));
}

beforeEach(() => {
  vi.resetModules(); // fresh entry points and a fresh once-set of emit-deprecation
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(ENTRY_POINTS)('$specifier', ({ load, code, exports }) => {
  it('exposes exactly its documented names', async () => {
    const module = await load();
    expect(Object.keys(module).sort()).toEqual([...exports].sort());
  });

  it(`emits ${code} once when it is loaded`, async () => {
    await load();
    expect(warnedCodes()).toEqual([code]);
    expect(emitWarning).toHaveBeenCalledWith(DEPRECATION_CODES[code].message, {
      type: 'DeprecationWarning',
      code,
    });
  });

  it('does not warn again when it is loaded again', async () => {
    await load();
    await load();
    expect(warnedCodes()).toEqual([code]);
  });
});

it('warns once per entry point when several are loaded', async () => {
  for (const entry of ENTRY_POINTS) await entry.load();
  for (const entry of ENTRY_POINTS) await entry.load();
  expect(warnedCodes()).toEqual(ENTRY_POINTS.map((entry) => entry.code));
});
