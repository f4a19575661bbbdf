import { randomBytes } from 'node:crypto';
import type { RunClaimInfo, RunLease } from '@app/ws-core';
import { RedisReplyError } from './errors';
import { type CommandSender, LuaScript, type ScriptReply } from './lua-script';
import type { NodeBatch } from './node-batch';
import { LUA_RETENTION } from './retention-lua';
import { replyArray, replyInteger, replyString } from './script-reply';
import type { StreamKeys } from './stream-keys';

/** A fencing token: 128 random bits. */
function newLeaseToken(): string {
  return 'l_' + randomBytes(16).toString('base64url');
}

/** The member of the deadline index for a run. JSON, so any ids decode back unambiguously. */
function deadlineMember(userId: string, runId: string): string {
  return JSON.stringify([userId, runId]);
}

/** The run named by a deadline index member, or undefined for a foreign member. */
export function parseDeadlineMember(member: string): { userId: string; runId: string } | undefined {
  try {
    const value: unknown = JSON.parse(member);
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { userId: value[0], runId: value[1] };
    }
  } catch {
    // Not one of ours.
  }
  return undefined;
}

/**
 * Lua: `lease(value)` parses a lease field (`<token> <expiresMs> <claim JSON>`, or '' once the
 * run ended) into token, expiry and the claim `[owner, startedAt, threadId, agentName]` text.
 */
const LUA_LEASE = `local function lease(value)
  return string.match(value or '', '^(%S+) (%d+) (.*)$')
end
`;

/**
 * The claim of a run, as the body of a Lua function: KEYS and ARGV as
 * {@link RunLeaseStore.claimCall} makes them. Returns 0 when the run already has a live lease, 1
 * once claimed. The admission script (`run-admission.ts`) runs it too, so a run is admitted and
 * claimed in one step.
 */
export const LUA_CLAIM = `${LUA_LEASE}local meta, events, field = KEYS[1], KEYS[2], 'l:' .. ARGV[1]
local now, token, owner, ttl = tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local threadId, agentName, recordTtl = ARGV[6], ARGV[7], tonumber(ARGV[8])
local f = redis.call('HMGET', meta, field, 'x')
if f[1] then
  local _, expires = lease(f[1])
  if not expires or tonumber(expires) >= now then return 0 end
end
local fields = {field, token .. ' ' .. (now + ttl) .. ' ' ..
  cjson.encode({owner, now, threadId, agentName})}
local x = tonumber(f[2])
local refresh = not x or x < now + recordTtl / 2
if refresh then
  fields[3] = 'x'
  fields[4] = now + recordTtl
end
redis.call('HSET', meta, unpack(fields))
if refresh then
  redis.call('PEXPIRE', meta, recordTtl)
  redis.call('PEXPIRE', events, recordTtl)
end
return 1`;

// Every lease script: KEYS meta, events; ARGV[1] runId; ARGV[2] now (the node's clock, ms).
const claimScript = new LuaScript('claim-run', LUA_CLAIM);

// The run leaves the runs in flight (`r:<runId>`, `pins`; see the append script) without a
// terminal event. ARGV[3]: token.
const releaseScript = new LuaScript(
  'release-run',
  `${LUA_LEASE}${LUA_RETENTION}local meta, lf, rf = KEYS[1], 'l:' .. ARGV[1], 'r:' .. ARGV[1]
local f = redis.call('HMGET', meta, lf, rf, 'pins')
local token = lease(f[1])
if token ~= ARGV[3] then return 0 end
redis.call('HDEL', meta, lf, rf)
local first = f[2] and string.match(f[2], '"firstSeq":(%d+)')
if first then redis.call('HSET', meta, 'pins', unpin(f[3], first)) end
return 1`,
);

const findScript = new LuaScript(
  'find-run',
  `${LUA_LEASE}local _, expires, claim = lease(redis.call('HGET', KEYS[1], 'l:' .. ARGV[1]))
if not expires or tonumber(expires) < tonumber(ARGV[2]) then return false end
return cjson.decode(claim)[1]`,
);

/**
 * Takes over a run whose lease expired (its node stopped renewing): the lease field changes in
 * one script, so exactly one node wins. A lease still alive answers its expiry (for the index);
 * a run that ended or whose record is gone answers `gone`.
 * ARGV[3..5]: token, owner, ttl.
 * Replies `{'alive', expiresMs}`, `{'gone'}` or `{'claimed', threadId, startedAt}`.
 */
const takeOverScript = new LuaScript(
  'take-over-run',
  `${LUA_LEASE}local meta, lf = KEYS[1], 'l:' .. ARGV[1]
local now, token, owner, ttl = tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local f = redis.call('HMGET', meta, lf, 'r:' .. ARGV[1])
local _, expires, claim = lease(f[1])
if not expires then return {'gone'} end
if tonumber(expires) >= now then return {'alive', tonumber(expires)} end
local info = cjson.decode(claim)
info[1] = owner
redis.call('HSET', meta, lf, token .. ' ' .. (now + ttl) .. ' ' .. cjson.encode(info))
local threadId = info[3] or ''
local startedAt = tonumber(info[2]) or now
if f[2] and f[2] ~= '' then
  local entry = cjson.decode(f[2])
  if threadId == '' then threadId = entry.threadId or '' end
end
return {'claimed', threadId, startedAt}`,
);

/** What {@link RunLeaseStore.takeOver} found. */
export type TakeOverResult =
  | { readonly kind: 'gone' }
  | { readonly kind: 'alive'; readonly expiresAt: number }
  | {
      readonly kind: 'claimed';
      readonly lease: RunLease;
      /** '' when the run was claimed without one and never appended an event. */
      readonly threadId: string;
      readonly startedAt: number;
      /** The node's clock at the takeover, in ms. */
      readonly now: number;
    };

/**
 * Run ownership with fencing (docs/scaling.md#rule-4-run-ownership-with-fencing): the lease is a
 * field `l:<runId>` of the user's meta hash — the current token, its expiry and what the claim
 * said about the run (owner, start, thread, agent) — so the append script checks it with the
 * same `HMGET` that reads the stream's counters. A sharded index of lease deadlines (one sorted
 * set per shard, `StreamKeys.runDeadlines`) lets reapers find orphaned runs without scanning
 * keys; it lives on other slots than the users' keys, so it is kept beside the scripts (a hint:
 * the lease field decides). Renewals go through the node's batch: one call per tick per shard.
 */
export class RunLeaseStore {
  constructor(
    private readonly client: CommandSender,
    private readonly keys: StreamKeys,
    private readonly batch: NodeBatch,
    /** How long a claimed run's keys live at least (the in-flight TTL of the stream). */
    private readonly recordTtlMs: number,
  ) {}

  /**
   * Claims a run. With `run`, its thread is recorded at once (otherwise by its first append), so
   * a reaper can end the run visibly even if its owner dies before appending anything.
   */
  async claim(
    userId: string,
    runId: string,
    ownerId: string,
    ttlMs: number,
    run?: RunClaimInfo,
  ): Promise<RunLease | undefined> {
    const call = this.claimCall(userId, runId, ownerId, ttlMs, run);
    const [claimed] = await Promise.all([
      claimScript.run(this.client, call.keys, call.args),
      // Indexed first (or at once): a run must never be claimed without a deadline to find it by.
      call.index(),
    ]);
    return claimed === 1 ? call.lease : undefined;
  }

  /**
   * The KEYS and ARGV of {@link LUA_CLAIM} for one run (a script that embeds it passes its own
   * after them), the lease it makes when it succeeds, the node's clock it uses, and `index()`:
   * the run's entry in the deadline index (on another slot, so sent beside the script).
   */
  claimCall(
    userId: string,
    runId: string,
    ownerId: string,
    ttlMs: number,
    run?: RunClaimInfo,
  ): {
    keys: string[];
    args: (string | number)[];
    lease: RunLease;
    now: number;
    index: () => Promise<unknown>;
  } {
    const token = newLeaseToken();
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const now = Date.now();
    return {
      keys: this.#keys(userId),
      args: [
        runId,
        now,
        token,
        ownerId,
        ttl,
        run?.threadId ?? '',
        run?.agentName ?? '',
        this.recordTtlMs,
      ],
      lease: Object.freeze({ userId, runId, ownerId, token }),
      now,
      index: () =>
        this.client.sendCommand([
          'ZADD',
          this.keys.runDeadlines(userId),
          'NX',
          String(now + ttl),
          deadlineMember(userId, runId),
        ]),
    };
  }

  /** Removes a run that was never claimed from the deadline index (after `claimCall().index`). */
  async unindex(userId: string, runId: string): Promise<void> {
    await this.#unindex(userId, runId);
  }

  /** Extends a lease, in the node's next batch. */
  async renew(lease: RunLease, ttlMs: number): Promise<boolean> {
    const expires = Date.now() + Math.max(1, Math.ceil(ttlMs));
    const member = deadlineMember(lease.userId, lease.runId);
    const index = this.keys.runDeadlines(lease.userId);
    void this.batch
      .run([index], (k) => ({ o: 'zadd', k: k(index), a: [expires, member] }))
      .catch(() => undefined);
    const meta = this.keys.meta(lease.userId);
    const renewed = await this.batch.run([meta], (k) => ({
      o: 'renew',
      k: k(meta),
      r: lease.runId,
      t: lease.token,
      e: expires,
    }));
    return renewed === 1;
  }

  async release(lease: RunLease): Promise<void> {
    await Promise.all([
      releaseScript.run(this.client, this.#keys(lease.userId), [
        lease.runId,
        Date.now(),
        lease.token,
      ]),
      this.#unindex(lease.userId, lease.runId),
    ]);
  }

  /** After a terminal append: clears the run's fields and its index entry, in a later batch. */
  ended(userId: string, runId: string, keysTtlMs: number): void {
    const meta = this.keys.meta(userId);
    const events = this.keys.events(userId);
    const index = this.keys.runDeadlines(userId);
    const member = deadlineMember(userId, runId);
    const ignore = (): undefined => undefined;
    void this.batch
      .run(
        [meta, events],
        (k) => ({ o: 'purge', k: k(meta), v: k(events), r: runId, ttl: keysTtlMs }),
        false,
      )
      .catch(ignore);
    void this.batch
      .run([index], (k) => ({ o: 'zrem', k: k(index), a: [member] }), false)
      .catch(ignore);
  }

  async find(userId: string, runId: string): Promise<{ ownerId: string } | undefined> {
    const owner = await findScript.run(this.client, this.#keys(userId), [runId, Date.now()]);
    return typeof owner === 'string' ? { ownerId: owner } : undefined;
  }

  /** Index members whose deadline passed (at most `limit` per shard of the index). */
  async due(limit: number): Promise<string[]> {
    const replies = await Promise.all(
      this.keys.runDeadlineShards.map((index) =>
        this.batch.run([index], (k) => ({ o: 'due', k: k(index), l: limit })),
      ),
    );
    const due: string[] = [];
    for (const reply of replies) {
      for (const member of replyArray(reply, 'due runs')) {
        if (typeof member === 'string') due.push(member);
      }
    }
    return due;
  }

  /** Tries to take over an orphaned run for `ownerId` (see the script); keeps the index right. */
  async takeOver(
    userId: string,
    runId: string,
    ownerId: string,
    ttlMs: number,
  ): Promise<TakeOverResult> {
    const token = newLeaseToken();
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const now = Date.now();
    const reply: ScriptReply[] = replyArray(
      await takeOverScript.run(this.client, this.#keys(userId), [runId, now, token, ownerId, ttl]),
      'take over',
    );
    const kind = replyString(reply, 0, 'take over');
    const member = deadlineMember(userId, runId);
    const index = this.keys.runDeadlines(userId);
    if (kind === 'gone') {
      await this.#unindex(userId, runId);
      return { kind };
    }
    if (kind === 'alive') {
      const expiresAt = replyInteger(reply, 1, 'take over');
      await this.client.sendCommand(['ZADD', index, String(expiresAt), member]);
      return { kind, expiresAt };
    }
    if (kind !== 'claimed') throw new RedisReplyError(`take over: unknown outcome ${kind}`);
    await this.client.sendCommand(['ZADD', index, String(now + ttl), member]);
    return {
      kind,
      lease: Object.freeze({ userId, runId, ownerId, token }),
      threadId: replyString(reply, 1, 'take over'),
      startedAt: replyInteger(reply, 2, 'take over'),
      now,
    };
  }

  async #unindex(userId: string, runId: string): Promise<void> {
    await this.client.sendCommand([
      'ZREM',
      this.keys.runDeadlines(userId),
      deadlineMember(userId, runId),
    ]);
  }

  #keys(userId: string): string[] {
    return [this.keys.meta(userId), this.keys.events(userId)];
  }
}
