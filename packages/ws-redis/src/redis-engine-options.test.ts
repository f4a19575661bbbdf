import { describe, expect, it } from 'vitest';
import { RedisConfigError } from './errors';
import { resolveRedisEngineOptions } from './redis-engine-options';

describe('engine options', () => {
  it('fill in the defaults', () => {
    const resolved = resolveRedisEngineOptions({ url: 'redis://localhost:6379', serverId: 'n1' });
    expect(resolved).toMatchObject({
      keyPrefix: 'ws:',
      retention: { maxEvents: 1000, maxAgeMs: 300_000 },
      reaperIntervalMs: 1000,
      takeoverTtlMs: 5000,
      streamCheckIntervalMs: 10_000,
      outageBuffer: { maxEvents: 10_000, maxBytes: 16 << 20 },
      reconnect: { minDelayMs: 100, maxDelayMs: 2000 },
      pubsub: 'auto',
    });
  });

  it.each([
    [{ serverId: 'n1' }, /exactly one/],
    [{ url: 'http://x', serverId: 'n1' }, /redis:\/\//],
    [{ url: 'redis://x', serverId: '' }, /serverId/],
    [{ url: 'redis://x', serverId: 'n1', keyPrefix: 'a{b}' }, /keyPrefix/],
    [{ url: 'redis://x', serverId: 'n1', retention: { maxEvents: 1.5 } }, /integer/],
    [{ url: 'redis://x', serverId: 'n1', reaperIntervalMs: 0 }, /positive/],
  ])('refuse %j', (options, message) => {
    expect(() => resolveRedisEngineOptions(options)).toThrow(RedisConfigError);
    expect(() => resolveRedisEngineOptions(options)).toThrow(message);
  });
});
