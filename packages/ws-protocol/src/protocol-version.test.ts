import { describe, expect, it } from 'vitest';
import { BEARER_PROTOCOL_PREFIX, PROTOCOL_VERSION, SUBPROTOCOL } from './protocol-version.js';

describe('protocol identity', () => {
  it('matches docs/protocol.md#subprotocol and docs/protocol.md#2-the-first-frame-welcome', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(SUBPROTOCOL).toBe('chat.v1');
    expect(BEARER_PROTOCOL_PREFIX).toBe('bearer.');
  });
});
