import { type CommandSender, LUA_NOW, LuaScript } from './lua-script';
import type { StreamKeys } from './stream-keys';

/** Sets the set's own expiry to its latest entry's, so an abandoned set disappears. */
const EXPIRE_WITH_LAST = `local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(last[2]))) end`;

const acquireScript = new LuaScript(
  'acquire-slot',
  `${LUA_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
${EXPIRE_WITH_LAST}
return 1`,
);

const renewScript = new LuaScript(
  'renew-slot',
  `${LUA_NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
${EXPIRE_WITH_LAST}
return 1`,
);

const countScript = new LuaScript(
  'count-slots',
  `${LUA_NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`,
);

/**
 * Per-user connection slots across nodes (docs/scaling.md#rule-5-limits-across-nodes): a sorted set per user of connection
 * id → expiry, taken atomically against the maximum and refreshed with the heartbeat, so the
 * connections of a killed node stop counting by themselves once their TTL passes.
 */
export class ConnectionSlots {
  constructor(
    private readonly client: CommandSender,
    private readonly keys: StreamKeys,
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
      [connectionId, Math.floor(max), Math.max(1, Math.ceil(ttlMs))],
    );
    return reply === 1;
  }

  /**
   * Refreshes a slot; a slot that already expired (an outage longer than its TTL) is taken again,
   * since its connection is demonstrably alive.
   */
  async renew(userId: string, connectionId: string, ttlMs: number): Promise<void> {
    await renewScript.run(
      this.client,
      [this.keys.slots(userId)],
      [connectionId, Math.max(1, Math.ceil(ttlMs))],
    );
  }

  async release(userId: string, connectionId: string): Promise<void> {
    await this.client.sendCommand(['ZREM', this.keys.slots(userId), connectionId]);
  }

  async count(userId: string): Promise<number> {
    const reply = await countScript.run(this.client, [this.keys.slots(userId)], []);
    return typeof reply === 'number' ? reply : 0;
  }
}
