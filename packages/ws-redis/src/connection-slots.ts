import { type CommandSender, LuaScript } from './lua-script';
import type { NodeBatch } from './node-batch';
import type { StreamKeys } from './stream-keys';

// ARGV[1] of each script: now (the node's clock, ms).
const acquireScript = new LuaScript(
  'acquire-slot',
  `local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1`,
);

const countScript = new LuaScript(
  'count-slots',
  `return redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')`,
);

/**
 * Per-user connection slots across nodes (docs/scaling.md#rule-5-limits-across-nodes): a sorted
 * set per user of connection id → expiry, taken atomically against the maximum and refreshed with
 * the heartbeat, so the connections of a killed node stop counting by themselves once their TTL
 * passes. The set's own expiry is moved to its newest entry's, never back. Heartbeats go
 * through the node's batch: one call per tick per shard, one `ZADD` per user.
 */
export class ConnectionSlots {
  constructor(
    private readonly client: CommandSender,
    private readonly keys: StreamKeys,
    private readonly batch: NodeBatch,
  ) {}

  async acquire(
    userId: string,
    connectionId: string,
    max: number,
    ttlMs: number,
  ): Promise<boolean> {
    const reply = await acquireScript.run(
      this.client,
      [this.keys.slots(userId)],
      [Date.now(), connectionId, Math.floor(max), Math.max(1, Math.ceil(ttlMs))],
    );
    return reply === 1;
  }

  /**
   * Refreshes a slot; a slot that already expired (an outage longer than its TTL) is taken again,
   * since its connection is demonstrably alive.
   */
  async renew(userId: string, connectionId: string, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const key = this.keys.slots(userId);
    await this.batch.run([key], (k) => ({
      o: 'slots',
      k: k(key),
      a: [Date.now() + ttl, connectionId],
      ttl,
    }));
  }

  async release(userId: string, connectionId: string): Promise<void> {
    await this.client.sendCommand(['ZREM', this.keys.slots(userId), connectionId]);
  }

  async count(userId: string): Promise<number> {
    const reply = await countScript.run(this.client, [this.keys.slots(userId)], [Date.now()]);
    return typeof reply === 'number' ? reply : 0;
  }
}
