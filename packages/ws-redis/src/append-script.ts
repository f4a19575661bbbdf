import { LUA_NOW, LuaScript } from './lua-script';

/**
 * Appends one event to a user's stream, atomically (docs/scaling.md#rule-1-order-is-made-at-append-time): checks the run's lease,
 * assigns the next `seq` (starting a new epoch when the stream is gone), adds the entry, trims
 * by count and age, refreshes the TTLs and publishes `<epoch>|<json>` on the user's channel —
 * all in one script, so two nodes can never publish out of `seq` order.
 *
 * KEYS: meta, events, lease, run, runDeadlines.
 * ARGV: head, tail, maxEvents, maxAgeMs, newEpoch, channel, publishCommand, leaseToken ('' =
 * none), terminal ('1'/'0'), threadId, writerField, appendId ('' = none), deadlineMember.
 *
 * `appendId` makes a retry after a lost reply idempotent: the writer's last append id and seq are
 * kept in the meta hash (one field per node), and a retry of the same id answers the stored seq
 * instead of appending twice. It is checked before the lease, because a terminal append releases
 * the lease it was checked against.
 *
 * Replies `{epoch, seq, retried (0/1)}`, or the error `FENCED …`.
 */
export const appendScript = new LuaScript(
  'append',
  `local meta, events, lease, run, deadlines = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local head, tail = ARGV[1], ARGV[2]
local maxEvents, maxAge = tonumber(ARGV[3]), tonumber(ARGV[4])
local newEpoch, channel, publish = ARGV[5], ARGV[6], ARGV[7]
local token, terminal, threadId = ARGV[8], ARGV[9] == '1', ARGV[10]
local writer, appendId, member = ARGV[11], ARGV[12], ARGV[13]

local epoch = redis.call('HGET', meta, 'epoch')
if epoch and appendId ~= '' then
  local last = redis.call('HGET', meta, writer)
  if last then
    local space = string.find(last, ' ', 1, true)
    if space and string.sub(last, 1, space - 1) == appendId then
      return {epoch, tonumber(string.sub(last, space + 1)), 1}
    end
  end
end
if token ~= '' and redis.call('GET', lease) ~= token then
  return redis.error_reply('FENCED the run lease is not current')
end
${LUA_NOW}
if not epoch then
  epoch = newEpoch
  redis.call('DEL', events)
  redis.call('HSET', meta, 'epoch', epoch, 'seq', 0, 'ms', 0)
end
local seq = redis.call('HINCRBY', meta, 'seq', 1)
local ms = tonumber(redis.call('HGET', meta, 'ms') or '0')
if now > ms then ms = now end
local json = head .. seq .. tail
redis.call('XADD', events, 'MAXLEN', maxEvents, ms .. '-' .. seq, 'j', json)
local cutoff = now - maxAge
if cutoff > 0 then redis.call('XTRIM', events, 'MINID', cutoff .. '-0') end
if appendId ~= '' then
  redis.call('HSET', meta, 'ms', ms, writer, appendId .. ' ' .. seq)
else
  redis.call('HSET', meta, 'ms', ms)
end
redis.call('PEXPIRE', meta, maxAge)
redis.call('PEXPIRE', events, maxAge)
if token ~= '' then
  if terminal then
    redis.call('DEL', lease, run)
    redis.call('ZREM', deadlines, member)
  elseif redis.call('EXISTS', run) == 1 then
    redis.call('HSETNX', run, 'threadId', threadId)
  end
end
redis.call(publish, channel, epoch .. '|' .. json)
return {epoch, seq, 0}`,
);
