import { randomBytes } from 'node:crypto';
import type { RunClaimInfo, RunLease } from '@app/ws-core';
import { RedisReplyError } from './errors';
import { type CommandSender, LUA_NOW, LuaScript, type ScriptReply } from './lua-script';
import { LUA_RETENTION } from './retention-lua';
import { replyArray, replyInteger, replyString } from './script-reply';
import type { StreamKeys } from './stream-keys';

/** A fencing token: 128 random bits. */
function newLeaseToken(): string {
  return 'l_' + randomBytes(16).toString('base64url');
}

/** The member of the deadline index for a run. JSON, so any ids decode back unambiguously. */
export function deadlineMember(userId: string, runId: string): string {
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

// KEYS of every lease script: lease, run, runDeadlines.
const claimScript = new LuaScript(
  'claim-run',
  `local lease, run, deadlines = KEYS[1], KEYS[2], KEYS[3]
local token, owner, ttl, member, recordTtl = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local threadId, agentName = ARGV[6], ARGV[7] or ''
if not redis.call('SET', lease, token, 'PX', ttl, 'NX') then return 0 end
${LUA_NOW}
redis.call('HSET', run, 'owner', owner)
redis.call('HSETNX', run, 'startedAt', now)
if threadId ~= '' then redis.call('HSETNX', run, 'threadId', threadId) end
if agentName ~= '' then redis.call('HSETNX', run, 'agentName', agentName) end
redis.call('PEXPIRE', run, recordTtl)
redis.call('ZADD', deadlines, now + ttl, member)
return 1`,
);

const renewScript = new LuaScript(
  'renew-run',
  `local lease, run, deadlines = KEYS[1], KEYS[2], KEYS[3]
local token, ttl, member, recordTtl = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
if redis.call('GET', lease) ~= token then return 0 end
${LUA_NOW}
redis.call('PEXPIRE', lease, ttl)
redis.call('PEXPIRE', run, recordTtl)
redis.call('ZADD', deadlines, now + ttl, member)
return 1`,
);

// KEYS: lease, run, runDeadlines, meta. ARGV: token, deadlineMember, runId. The run leaves the
// runs in flight (`r:<runId>` in the meta, see the append script) without a terminal event.
const releaseScript = new LuaScript(
  'release-run',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
${LUA_RETENTION}
if redis.call('HDEL', KEYS[4], 'r:' .. ARGV[3]) == 1 then repin(KEYS[4]) end
return 1`,
);

const findScript = new LuaScript(
  'find-run',
  `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('HGET', KEYS[2], 'owner')`,
);

const dueScript = new LuaScript(
  'due-runs',
  `${LUA_NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ARGV[1])`,
);

/**
 * Takes over a run whose lease expired (its node stopped renewing): exactly one node wins the
 * `SET NX` of the lease. A lease still alive only gets its deadline corrected; a run whose record
 * is gone leaves the index.
 * Replies `{'alive'}`, `{'gone'}` or `{'claimed', threadId, startedAt, now}`.
 */
const takeOverScript = new LuaScript(
  'take-over-run',
  `local lease, run, deadlines = KEYS[1], KEYS[2], KEYS[3]
local member, token, owner, ttl, recordTtl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
${LUA_NOW}
local remaining = redis.call('PTTL', lease)
if remaining == -1 then remaining = ttl end
if remaining > 0 then
  redis.call('ZADD', deadlines, now + remaining, member)
  return {'alive'}
end
if redis.call('EXISTS', run) == 0 then
  redis.call('ZREM', deadlines, member)
  return {'gone'}
end
if not redis.call('SET', lease, token, 'PX', ttl, 'NX') then return {'alive'} end
redis.call('HSET', run, 'owner', owner)
redis.call('PEXPIRE', run, recordTtl)
redis.call('ZADD', deadlines, now + ttl, member)
local startedAt = tonumber(redis.call('HGET', run, 'startedAt') or now)
return {'claimed', redis.call('HGET', run, 'threadId') or '', startedAt, now}`,
);

/** What {@link RunLeaseStore.takeOver} found. */
export type TakeOverResult =
  | { readonly kind: 'alive' | 'gone' }
  | {
      readonly kind: 'claimed';
      readonly lease: RunLease;
      /** '' when the run was claimed without one and never appended an event. */
      readonly threadId: string;
      readonly startedAt: number;
      /** Redis' clock at the takeover, in ms. */
      readonly now: number;
    };

/**
 * Run ownership with fencing (docs/scaling.md#rule-4-run-ownership-with-fencing): a lease key holding the current token with the
 * lease TTL, a run record (owner, start time, thread — from the claim or the first append) for
 * whoever must end the run, and a sorted
 * set of lease deadlines through which orphaned runs are found without scanning keys. The append
 * script checks the token, and a terminal append deletes all three.
 */
export class RunLeaseStore {
  constructor(
    private readonly client: CommandSender,
    private readonly keys: StreamKeys,
    /** How long a run record outlives its last renewal, so a late reaper still finds it. */
    private readonly recordTtlMs: (leaseTtlMs: number) => number,
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
    const token = newLeaseToken();
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const claimed = await claimScript.run(this.client, this.#keys(userId, runId), [
      token,
      ownerId,
      ttl,
      deadlineMember(userId, runId),
      this.recordTtlMs(ttl),
      run?.threadId ?? '',
      run?.agentName ?? '',
    ]);
    return claimed === 1 ? Object.freeze({ userId, runId, ownerId, token }) : undefined;
  }

  async renew(lease: RunLease, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const renewed = await renewScript.run(this.client, this.#keys(lease.userId, lease.runId), [
      lease.token,
      ttl,
      deadlineMember(lease.userId, lease.runId),
      this.recordTtlMs(ttl),
    ]);
    return renewed === 1;
  }

  async release(lease: RunLease): Promise<void> {
    await releaseScript.run(
      this.client,
      [...this.#keys(lease.userId, lease.runId), this.keys.meta(lease.userId)],
      [lease.token, deadlineMember(lease.userId, lease.runId), lease.runId],
    );
  }

  async find(userId: string, runId: string): Promise<{ ownerId: string } | undefined> {
    const owner = await findScript.run(this.client, this.#keys(userId, runId), []);
    return typeof owner === 'string' ? { ownerId: owner } : undefined;
  }

  /** Index members whose deadline passed (at most `limit`, every shard of the index). */
  async due(limit: number): Promise<string[]> {
    const due: string[] = [];
    for (const shard of this.keys.runDeadlineShards) {
      if (due.length >= limit) break;
      const reply = replyArray(
        await dueScript.run(this.client, [shard], [limit - due.length]),
        'due runs',
      );
      for (const member of reply) if (typeof member === 'string') due.push(member);
    }
    return due;
  }

  /** Tries to take over an orphaned run for `ownerId` (see the script). */
  async takeOver(
    userId: string,
    runId: string,
    ownerId: string,
    ttlMs: number,
  ): Promise<TakeOverResult> {
    const token = newLeaseToken();
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const reply: ScriptReply[] = replyArray(
      await takeOverScript.run(this.client, this.#keys(userId, runId), [
        deadlineMember(userId, runId),
        token,
        ownerId,
        ttl,
        this.recordTtlMs(ttl),
      ]),
      'take over',
    );
    const kind = replyString(reply, 0, 'take over');
    if (kind === 'alive' || kind === 'gone') return { kind };
    if (kind !== 'claimed') throw new RedisReplyError(`take over: unknown outcome ${kind}`);
    return {
      kind,
      lease: Object.freeze({ userId, runId, ownerId, token }),
      threadId: replyString(reply, 1, 'take over'),
      startedAt: replyInteger(reply, 2, 'take over'),
      now: replyInteger(reply, 3, 'take over'),
    };
  }

  #keys(userId: string, runId: string): string[] {
    return [
      this.keys.lease(userId, runId),
      this.keys.run(userId, runId),
      this.keys.runDeadlines(userId),
    ];
  }
}
