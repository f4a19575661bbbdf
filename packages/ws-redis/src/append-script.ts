import { LUA_NOW, LuaScript } from './lua-script';
import { LUA_RETENTION } from './retention-lua';

/**
 * Appends one event to a user's stream, atomically (docs/scaling.md#rule-1-order-is-made-at-append-time): checks the run's lease,
 * assigns the next `seq` (starting a new epoch when the stream is gone), adds the entry, keeps
 * the user's runs in flight (docs/protocol.md#8-joining-mid-run), trims by count, bytes and age
 * (never past the oldest run in flight; see `retention-lua.ts`), refreshes the TTLs and
 * publishes `<epoch>|<json>` on the user's channel — all in one script, so two nodes can never
 * publish out of `seq` order.
 *
 * KEYS: meta, events, lease, run, runDeadlines.
 * ARGV: head, tail, maxEvents, maxAgeMs, newEpoch, channel, publishCommand, leaseToken ('' =
 * none), terminal ('1'/'0'), threadId, writerField, appendId ('' = none), deadlineMember,
 * maxBytes, inFlightTtlMs, runId, ts, agentName ('' = from the run record).
 *
 * A run is in flight from its first append under a lease (its `r:<runId>` meta field records
 * `{runId, threadId, agentName, firstSeq, startedAt}`) until its terminal append; while any run
 * is in flight the stream's keys live `inFlightTtlMs` instead of `maxAgeMs`. `lr` in the meta
 * names the run of the last leased append, so a run's further events skip that bookkeeping.
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
local maxBytes = tonumber(ARGV[14]) or math.huge
local inFlightTtl = tonumber(ARGV[15]) or maxAge
local runId, ts, agentName = ARGV[16] or '', ARGV[17] or '', ARGV[18] or ''
${LUA_RETENTION}
local f = redis.call('HMGET', meta, 'epoch', writer, 'seq', 'ms', 'hs', 'hm', 'bytes', 'pin', 'lr')
local epoch = f[1]
if epoch and appendId ~= '' then
  local last = f[2]
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
local previous, ms, hs, hm, bytes, pin, lr = 0, 0, 1, 0, 0, nil, f[9]
if not epoch then
  epoch = newEpoch
  redis.call('DEL', events)
  lr = nil
else
  previous = tonumber(f[3]) or 0
  ms = tonumber(f[4]) or 0
  hs = tonumber(f[5])
  hm = tonumber(f[6]) or 0
  bytes = tonumber(f[7]) or 0
  pin = tonumber(f[8])
  if not hs then hs = previous - redis.call('XLEN', events) + 1 end
end
local seq = previous + 1
if now > ms then ms = now end
local json = head .. seq .. tail
redis.call('XADD', events, ms .. '-' .. seq, 'j', json)
if hs > previous then
  hs, hm = seq, ms
end
bytes = bytes + #json
local fields = {'epoch', epoch, 'seq', seq, 'ms', ms}
if token ~= '' then
  if terminal then
    redis.call('DEL', lease, run)
    redis.call('ZREM', deadlines, member)
    if redis.call('HDEL', meta, 'r:' .. runId) == 1 then pin = repin(meta) end
    if lr == runId then redis.call('HDEL', meta, 'lr') end
  elseif lr ~= runId then
    if redis.call('EXISTS', run) == 1 then
      redis.call('HSETNX', run, 'threadId', threadId)
      if agentName == '' then agentName = redis.call('HGET', run, 'agentName') or '' end
    end
    local entry = cjson.encode({runId = runId, threadId = threadId, agentName = agentName,
      firstSeq = seq, startedAt = ts})
    if redis.call('HSETNX', meta, 'r:' .. runId, entry) == 1 and not pin then
      pin = seq
      fields[#fields + 1] = 'pin'
      fields[#fields + 1] = pin
    end
    fields[#fields + 1] = 'lr'
    fields[#fields + 1] = runId
  end
end
local st = {events = events, latest = seq, hs = hs, hm = hm, bytes = bytes, pin = pin or math.huge,
  maxEvents = maxEvents, maxBytes = maxBytes, cutoff = now - maxAge}
trim(st)
fields[#fields + 1] = 'hs'
fields[#fields + 1] = st.hs
fields[#fields + 1] = 'hm'
fields[#fields + 1] = st.hm
fields[#fields + 1] = 'bytes'
fields[#fields + 1] = st.bytes
if appendId ~= '' then
  fields[#fields + 1] = writer
  fields[#fields + 1] = appendId .. ' ' .. seq
end
redis.call('HSET', meta, unpack(fields))
local ttl = maxAge
if pin then ttl = inFlightTtl end
redis.call('PEXPIRE', meta, ttl)
redis.call('PEXPIRE', events, ttl)
redis.call(publish, channel, epoch .. '|' .. json)
return {epoch, seq, 0}`,
);
