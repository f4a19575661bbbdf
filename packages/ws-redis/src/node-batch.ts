import { LuaScript, type CommandSender, type ScriptReply } from './lua-script';

/** Which shard (cluster node) a key lives on; one Redis is one shard (`''`). */
export interface ShardRouter {
  shardOf(key: string): string;
}

/** The router of a standalone Redis: everything on one shard. */
export const SINGLE_SHARD: ShardRouter = { shardOf: () => '' };

const BATCH_BODY = `local now = tonumber(ARGV[1])
local ops = cjson.decode(ARGV[2])
local out = {}
for i = 1, #ops do
  local op = ops[i]
  local result = 1
  if op.o == 'renew' then
    local field = 'l:' .. op.r
    local value = redis.call('HGET', KEYS[op.k], field)
    local token, expires, rest = string.match(value or '', '^(%S+) (%d+) (.*)$')
    if token == op.t and tonumber(expires) >= now then
      redis.call('HSET', KEYS[op.k], field, token .. ' ' .. op.e .. ' ' .. rest)
    else
      result = 0
    end
  elseif op.o == 'slots' then
    redis.call('ZADD', KEYS[op.k], unpack(op.a))
    if redis.call('PTTL', KEYS[op.k]) < op.ttl then redis.call('PEXPIRE', KEYS[op.k], op.ttl) end
  elseif op.o == 'zadd' then
    redis.call('ZADD', KEYS[op.k], 'XX', unpack(op.a))
  elseif op.o == 'zrem' then
    redis.call('ZREM', KEYS[op.k], unpack(op.a))
  elseif op.o == 'due' then
    result = redis.call('ZRANGEBYSCORE', KEYS[op.k], '-inf', now, 'LIMIT', 0, op.l)
  elseif op.o == 'purge' then
    local lf, rf = 'l:' .. op.r, 'r:' .. op.r
    local f = redis.call('HMGET', KEYS[op.k], lf, rf, 'pins')
    local gone = {}
    if f[1] == '' then gone[#gone + 1] = lf end
    if f[2] == '' then gone[#gone + 1] = rf end
    if #gone > 0 then redis.call('HDEL', KEYS[op.k], unpack(gone)) end
    if not f[3] or f[3] == '' then
      redis.call('PEXPIRE', KEYS[op.k], op.ttl)
      redis.call('PEXPIRE', KEYS[op.v], op.ttl)
      redis.call('HSET', KEYS[op.k], 'x', now + op.ttl)
    end
  elseif op.o == 'touch' then
    local f = redis.call('HMGET', KEYS[op.k], 'epoch', 'seq', 'x')
    if f[1] then
      local x = tonumber(f[3])
      if not x or x < now + op.ttl / 2 then
        redis.call('PEXPIRE', KEYS[op.k], op.ttl)
        redis.call('PEXPIRE', KEYS[op.v], op.ttl)
        redis.call('HSET', KEYS[op.k], 'x', now + op.ttl)
      end
      result = {f[1], tonumber(f[2])}
    else
      result = false
    end
  end
  out[i] = result
end
return out`;

/**
 * The per-node batch script: one call runs many small operations on the keys of one shard —
 * lease renewals, connection-slot heartbeats, deadline index updates, the clean-up after ended
 * runs, the reaper's reads of the deadline index and the stream check — so background work
 * costs one call per tick per shard, not one per run or connection
 * (docs/scaling.md#rule-10-cost). On a cluster the router groups by slot (Redis refuses declared
 * keys of several slots in one script), and the script is flagged `allow-cross-slot-keys`.
 */
const batchScripts = {
  single: new LuaScript('node-batch', BATCH_BODY),
  cluster: new LuaScript('node-batch', `#!lua flags=allow-cross-slot-keys\n${BATCH_BODY}`),
};

/** One operation of a batch; `keys` are named by index into the call's KEYS (see the script). */
type Op = { o: string } & Record<string, unknown>;

interface Pending {
  readonly shardKey: string;
  readonly keys: readonly string[];
  readonly op: (index: (key: string) => number) => Op;
  readonly resolve: (reply: ScriptReply) => void;
  readonly reject: (error: unknown) => void;
}

/** Operations per script call at most (a call's arguments stay small). */
const MAX_OPS = 500;

/**
 * Collects the small background operations of one node and sends them, at the end of the
 * current tick (or within `delayMs` for work that may wait), as one batch script per shard.
 */
export class NodeBatch {
  #pending: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;

  constructor(
    private readonly client: CommandSender,
    private readonly router: ShardRouter,
    private readonly cluster: boolean,
  ) {}

  /**
   * Queues one operation on `keys` (all on the shard of `keys[0]`); resolves with its result.
   * `soon` false lets it wait up to 200 ms for other work.
   */
  run(keys: readonly string[], op: Pending['op'], soon = true): Promise<ScriptReply> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ shardKey: keys[0]!, keys, op, resolve, reject });
      if (soon) this.#immediate ??= setImmediate(() => void this.flush());
      else if (this.#timer === undefined) {
        this.#timer = setTimeout(() => void this.flush(), 200);
        (this.#timer as { unref?: () => void }).unref?.();
      }
    });
  }

  /** Sends everything queued now. */
  async flush(): Promise<void> {
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#immediate = undefined;
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = [];
    const byShard = new Map<string, Pending[]>();
    for (const item of pending) {
      const shard = this.router.shardOf(item.shardKey);
      const list = byShard.get(shard);
      if (list === undefined) byShard.set(shard, [item]);
      else list.push(item);
    }
    const calls: Promise<void>[] = [];
    for (const items of byShard.values()) {
      for (let i = 0; i < items.length; i += MAX_OPS)
        calls.push(this.#send(items.slice(i, i + MAX_OPS)));
    }
    await Promise.all(calls);
  }

  /** Rejects what is still queued (the engine is closing). */
  close(error: Error): void {
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    for (const item of this.#pending.splice(0)) item.reject(error);
  }

  async #send(items: readonly Pending[]): Promise<void> {
    const keys: string[] = [];
    const indexes = new Map<string, number>();
    const index = (key: string): number => {
      let i = indexes.get(key);
      if (i === undefined) {
        keys.push(key);
        i = keys.length;
        indexes.set(key, i);
      }
      return i;
    };
    // The first key routes the call (node-redis' cluster client sends it to that key's shard).
    for (const item of items) for (const key of item.keys) index(key);
    const ops = items.map((item) => item.op(index));
    const script = this.cluster ? batchScripts.cluster : batchScripts.single;
    try {
      const reply = await script.run(this.client, keys, [Date.now(), JSON.stringify(ops)]);
      const results = Array.isArray(reply) ? reply : [];
      items.forEach((item, i) => item.resolve(results[i] ?? null));
    } catch (error) {
      for (const item of items) item.reject(error);
    }
  }
}
