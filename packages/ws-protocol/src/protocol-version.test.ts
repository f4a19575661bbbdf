import { describe, expect, it } from 'vitest';
import { BEARER_PROTOCOL_PREFIX, PROTOCOL_VERSION, SUBPROTOCOL } from './protocol-version.js';

describe('protocol identity', () => {
  it('matches protocol §1 and §2', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(SUBPROTOCOL).toBe('chat.v1');
    expect(BEARER_PROTOCOL_PREFIX).toBe('bearer.');
  });
});
