import { LuaScript } from './lua-script';
import { LUA_RETENTION } from './retention-lua';

/**
 * Appends one event to a user's stream, atomically (docs/scaling.md#rule-1-order-is-made-at-append-time):
 * checks the run's lease, assigns the next `seq` (starting a new epoch when the stream is gone),
 * adds the entry trimming by count inline, keeps the user's runs in flight
 * (docs/protocol.md#8-joining-mid-run) and publishes `<epoch>|<json>` on the user's channel — all
 * in one script, so two nodes can never publish out of `seq` order.
 *
 * It is the engine's hot path, and costs Redis five commands (docs/scaling.md#rule-10-cost): the
 * `EVALSHA`, one `HMGET` of the meta hash (epoch, seq, retention counters, this writer's last
 * append, the run's lease `l:<runId>` and run entry `r:<runId>`), one `XADD … MAXLEN n` (the count
 * bound, `n` widened to keep the oldest run in flight whole), one `HSET` and one publish. The
 * time comes from the node (`now`), not `TIME`. Only rarely more: a new epoch (`DEL`), the keys'
 * expiry when it must move (`PEXPIRE` ×2: once per `maxAgeMs` of activity, once per half
 * `inFlightTtlMs` while a run is in flight, and when the stream held nothing; claims set it for
 * the run), and an exact byte trim
 * when the retained bytes pass `maxBytes` by a quarter (`retention-lua.ts`; reads trim exactly).
 *
 * A terminal append leaves the run's `l:` and `r:` fields empty (an empty lease refuses
 * everything); the node clears them later in its batch (`node-batch.ts`), as reads do.
 *
 * KEYS: meta, events.
 * ARGV: head, tail, maxEvents, maxAgeMs, maxBytes, newEpoch, channel, publishCommand, now,
 * writerField, appendId ('' = none), runId, leaseToken ('' = none), terminal ('1'/'0'), threadId,
 * agentName ('' = from the claim), ts, inFlightTtlMs.
 *
 * `appendId` makes a retry after a lost reply idempotent: the writer's last append id and seq are
 * kept in the meta hash (one field per node), and a retry of the same id answers the stored seq
 * instead of appending twice. It is checked before the lease, because a terminal append ends the
 * lease it was checked against.
 *
 * Replies `{epoch, seq, retried (0/1)}`, or the error `FENCED …`.
 */
export const appendScript = new LuaScript(
  'append',
  `local meta, events = KEYS[1], KEYS[2]
local head, tail = ARGV[1], ARGV[2]
local maxEvents, maxAge, maxBytes = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local newEpoch, channel, publish = ARGV[6], ARGV[7], ARGV[8]
local now, writer, appendId = tonumber(ARGV[9]), ARGV[10], ARGV[11]
local runId, token, terminal = ARGV[12], ARGV[13], ARGV[14] == '1'
local threadId, agentName, ts, inFlightTtl = ARGV[15], ARGV[16], ARGV[17], tonumber(ARGV[18])
${LUA_RETENTION}
local lf, rf = 'l:' .. runId, 'r:' .. runId
local f = redis.call('HMGET', meta, 'epoch', 'seq', 'ms', 'hs', 'bytes', 'be', 'pins', 'x', writer,
  lf, rf)
local epoch = f[1]
if epoch and appendId ~= '' and f[9] then
  local space = string.find(f[9], ' ', 1, true)
  if space and string.sub(f[9], 1, space - 1) == appendId then
    return {epoch, tonumber(string.sub(f[9], space + 1)), 1}
  end
end
local lease = f[10]
if token ~= '' then
  local current, expires = nil, nil
  if lease then current, expires = string.match(lease, '^(%S+) (%d+) ') end
  if current ~= token or tonumber(expires) < now then
    return redis.error_reply('FENCED the run lease is not current')
  end
end
local previous, ms, hs, bytes, estimated, pins, x = 0, 0, 1, 0, false, '', nil
local fields = {}
if not epoch then
  epoch = newEpoch
  redis.call('DEL', events)
  fields = {'epoch', epoch}
else
  previous = tonumber(f[2]) or 0
  ms = tonumber(f[3]) or 0
  hs = tonumber(f[4])
  bytes = tonumber(f[5]) or 0
  estimated = f[6] == '1'
  pins = f[7] or ''
  x = tonumber(f[8])
  if not hs then hs = previous - redis.call('XLEN', events) + 1 end
end
local seq = previous + 1
if now > ms then ms = now end
local json = head .. seq .. tail
local pinsBefore = pins
if token ~= '' then
  local entry = f[11]
  if terminal then
    fields[#fields + 1] = lf
    fields[#fields + 1] = ''
    if entry then
      fields[#fields + 1] = rf
      fields[#fields + 1] = ''
      local first = string.match(entry, '"firstSeq":(%d+)')
      if first then pins = unpin(pins, first) end
    end
  elseif not entry then
    if agentName == '' then
      local claimed = cjson.decode(string.match(lease, '^%S+ %d+ (.*)$'))
      agentName = claimed[4] or ''
    end
    fields[#fields + 1] = rf
    fields[#fields + 1] = cjson.encode({runId = runId, threadId = threadId,
      agentName = agentName, firstSeq = seq, startedAt = ts})
    if pins == '' then pins = tostring(seq) else pins = pins .. ' ' .. seq end
  end
end
local pin = firstPin(pins)
local n = maxEvents
if pin and seq - pin + 1 > n then n = seq - pin + 1 end
local count = seq - hs + 1
bytes = bytes + #json
if count > n then
  local dropped = count - n
  bytes = bytes - math.floor(dropped * (bytes - #json) / (count - 1) + 0.5)
  estimated = true
  hs = seq - n + 1
  redis.call('XADD', events, 'MAXLEN', n, ms .. '-' .. seq, 'j', json)
else
  redis.call('XADD', events, ms .. '-' .. seq, 'j', json)
end
if bytes > maxBytes + maxBytes / 4 then
  local st = {events = events, latest = seq, hs = hs, bytes = bytes, estimated = estimated,
    pin = pin, maxEvents = maxEvents, maxBytes = maxBytes}
  trim(st)
  hs, bytes, estimated = st.hs, st.bytes, st.estimated
end
local ttl = maxAge * 2
if pin then ttl = inFlightTtl end
-- Nothing was retained: the stream key may be new, without an expiry yet.
if count == 1 then x = nil end
local refresh = not x or x < now + ttl / 2
if refresh then
  fields[#fields + 1] = 'x'
  fields[#fields + 1] = now + ttl
end
redis.call(publish, channel, epoch .. '|' .. json)
fields[#fields + 1] = 'seq'
fields[#fields + 1] = seq
fields[#fields + 1] = 'ms'
fields[#fields + 1] = ms
fields[#fields + 1] = 'hs'
fields[#fields + 1] = hs
fields[#fields + 1] = 'bytes'
fields[#fields + 1] = bytes
fields[#fields + 1] = 'be'
fields[#fields + 1] = estimated and '1' or '0'
if pins ~= pinsBefore then
  fields[#fields + 1] = 'pins'
  fields[#fields + 1] = pins
end
if appendId ~= '' then
  fields[#fields + 1] = writer
  fields[#fields + 1] = appendId .. ' ' .. seq
end
redis.call('HSET', meta, unpack(fields))
if refresh then
  redis.call('PEXPIRE', meta, ttl)
  redis.call('PEXPIRE', events, ttl)
end
return {epoch, seq, 0}`,
);
