import { describe, expect, it } from 'vitest';
import { legacyWirePathIn } from './legacy-wire-paths.js';

describe('legacyWirePathIn', () => {
  it.each([
    ['/websocket', '/websocket'],
    ['/websocket?ticket=abc', '/websocket'],
    ['wss://chat.example.com/websocket', '/websocket'],
    ['ws://localhost:8080/websocket#x', '/websocket'],
    ['/ws?mode=legacy', 'mode=legacy'],
    ['/ws?lastSeq=3&mode=legacy&epoch=e', 'mode=legacy'],
    ['mode=legacy', 'mode=legacy'],
  ])('finds the legacy path in %s', (text, path) => {
    expect(legacyWirePathIn(text)).toBe(path);
  });

  it.each([
    '/ws',
    '/api/v1/websocket',
    'wss://chat.example.com/api/v1/websocket',
    './websocket',
    'src/websocket/handler.ts',
    '/websockets',
    '/websocket-old',
    '/ws?mode=legacyish',
    'websocket',
    'the websocket is open',
  ])('ignores %s', (text) => {
    expect(legacyWirePathIn(text)).toBeUndefined();
  });
});
