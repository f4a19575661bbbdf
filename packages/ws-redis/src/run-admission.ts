import {
  type ChatAck,
  type ChatId,
  type RunAdmission,
  type RunAdmissionResult,
  RunFencedError,
} from '@app/ws-core';
import { RedisReplyError } from './errors';
import { type CommandSender, LuaScript } from './lua-script';
import { LUA_CLAIM, type RunLeaseStore } from './run-lease-store';
import { replyArray, replyString } from './script-reply';
import type { StreamKeys } from './stream-keys';

/**
 * Admission of a run, in one script (docs/scaling.md#rule-9-idempotency-and-caps-hold-across-nodes):
 * the chat id (a string key per id holding its ack), the cap (the user's live leases: the `l:`
 * fields of the meta hash whose expiry is not past — a run stops counting at its terminal append
 * or release, which empty or delete its field, and when its lease expires because its node was
 * lost), the claim of the run (`LUA_CLAIM`, unchanged) and the record of the ack.
 *
 * KEYS: the claim's (meta first), then the chat key (the meta again when there is no chat id).
 * ARGV: the claim's, then maxRuns, chatTtlMs, hasChat ('1'/'0'), ack JSON, now (the node's
 * clock, ms). The admission's own KEYS and ARGV are addressed from the end, so the claim's may
 * change shape.
 *
 * Replies `{'duplicate', ackJson}`, `{'too_many_runs'}`, `{'taken'}` or `{'admitted'}`.
 */
const admitScript = new LuaScript(
  'admit-run',
  `local nk, na = #KEYS, #ARGV
local chat = KEYS[nk]
local maxRuns, chatTtl, hasChat = tonumber(ARGV[na - 4]), ARGV[na - 3], ARGV[na - 2] == '1'
local ack, now = ARGV[na - 1], tonumber(ARGV[na])
if hasChat then
  local earlier = redis.call('GET', chat)
  if earlier then return {'duplicate', earlier} end
end
local all = redis.call('HGETALL', KEYS[1])
local count = 0
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 2) == 'l:' then
    local expires = string.match(all[i + 1], '^%S+ (%d+) ')
    if expires and tonumber(expires) >= now then count = count + 1 end
  end
end
if count >= maxRuns then return {'too_many_runs'} end
local function claim()
${LUA_CLAIM}
end
if claim() == 0 then return {'taken'} end
if hasChat then redis.call('SET', chat, ack, 'PX', chatTtl) end
return {'admitted'}`,
);

/** Deletes a chat id's record when it still names the run (ARGV[1]). */
const forgetScript = new LuaScript(
  'forget-chat',
  `local ack = redis.call('GET', KEYS[1])
if ack and cjson.decode(ack).runId == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`,
);

/** `admitRun` and `forgetChat` of the Redis engine. */
export class RunAdmissions {
  constructor(
    private readonly client: CommandSender,
    private readonly keys: StreamKeys,
    private readonly leases: RunLeaseStore,
  ) {}

  async admit(admission: RunAdmission): Promise<RunAdmissionResult> {
    const { userId, runId, chatId } = admission;
    const claim = this.leases.claimCall(userId, runId, admission.ownerId, admission.ttlMs, {
      threadId: admission.threadId,
      agentName: admission.agentName,
    });
    const ack: ChatAck = { runId, threadId: admission.threadId };
    const [reply] = await Promise.all([
      admitScript.run(
        this.client,
        [...claim.keys, chatId === undefined ? claim.keys[0]! : this.keys.chat(userId, chatId)],
        [
          ...claim.args,
          Math.max(0, Math.floor(admission.maxRuns)),
          Math.max(1, Math.ceil(admission.chatIdTtlMs)),
          chatId === undefined ? '0' : '1',
          JSON.stringify(ack),
          claim.now,
        ],
      ),
      // As for a claim: the run is indexed at once; an admission refused takes it out again.
      claim.index(),
    ]);
    const outcome = replyArray(reply, 'admit run');
    const kind = replyString(outcome, 0, 'admit run');
    if (kind !== 'admitted' && kind !== 'taken') await this.leases.unindex(userId, runId);
    switch (kind) {
      case 'admitted':
        return { kind, lease: claim.lease };
      case 'duplicate':
        return { kind, ack: parseAck(replyString(outcome, 1, 'admit run')) };
      case 'too_many_runs':
        return { kind };
      case 'taken':
        throw new RunFencedError(runId);
      default:
        throw new RedisReplyError(`admit run: unknown outcome ${kind}`);
    }
  }

  async forget(userId: string, chatId: ChatId, runId: string): Promise<void> {
    await forgetScript.run(this.client, [this.keys.chat(userId, chatId)], [runId]);
  }
}

function parseAck(json: string): ChatAck {
  const value = JSON.parse(json) as Partial<ChatAck> | null;
  if (typeof value?.runId !== 'string' || typeof value.threadId !== 'string') {
    throw new RedisReplyError('admit run: the recorded ack is not {runId, threadId}');
  }
  return Object.freeze({ runId: value.runId, threadId: value.threadId });
}
