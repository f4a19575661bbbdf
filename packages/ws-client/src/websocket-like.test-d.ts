import { describe, expectTypeOf, it } from 'vitest';
import type WS from 'ws';
import type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';

describe('WebSocketLike', () => {
  it('accepts the browser WebSocket and the ws package', () => {
    expectTypeOf<typeof WebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<typeof WS>().toExtend<WebSocketConstructor>();
    expectTypeOf<WebSocket>().toExtend<WebSocketLike>();
    expectTypeOf<WS>().toExtend<WebSocketLike>();
  });

  it('refuses a class that cannot send text', () => {
    expectTypeOf<new (url: string) => { close(): void }>().not.toExtend<WebSocketConstructor>();
  });
});
