import { describe, expect, it } from 'vitest';
import { WebSocketManagerMode } from './manager-mode.js';

describe('WebSocketManagerMode', () => {
  it('lists the four old modes', () => {
    expect(WebSocketManagerMode).toEqual({
      UNIFIED: 'unified',
      ISOLATED: 'isolated',
      EMERGENCY: 'emergency',
      DEGRADED: 'degraded',
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(WebSocketManagerMode)).toBe(true);
    expect(() => {
      (WebSocketManagerMode as Record<string, string>).UNIFIED = 'changed';
    }).toThrow(TypeError);
  });
});
