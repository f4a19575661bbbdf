import { type ActiveRun, type ChatEvent, isActiveRun } from '@app/ws-protocol';
import type { StreamPosition, StreamRecord, StreamSnapshot } from '@app/ws-core';
import { LuaScript, type ScriptReply } from './lua-script';
import { LUA_RETENTION } from './retention-lua';
import { replyInteger, replyString } from './script-reply';

/**
 * Reads a user's stream position and, optionally, the events after a `seq`, in one atomic step:
 * applies retention exactly first (age matters at read time; see `retention-lua.ts`), clears the
 * fields of ended runs (`l:`/`r:` left empty by terminal appends), and starts a new epoch when
 * the stream is gone (`position` creates the stream, as the interface requires).
 *
 * Entries are contiguous in `seq` and only ever trimmed from the oldest end, so the oldest
 * retained seq is the meta's `hs` and the events after `afterSeq` are the newest
 * `latestSeq − afterSeq` entries (`XREVRANGE … COUNT`).
 *
 * KEYS: meta, events. ARGV: newEpoch, maxEvents, maxAgeMs, afterSeq ('' = position only),
 * expectedEpoch ('' = any), maxBytes, now.
 * Replies `{epoch, latestSeq, oldestSeq, activeRun…}` for a position (each run in flight as its
 * JSON entry), else `{epoch, latestSeq, oldestSeq, complete (0/1), json…}` with the records
 * oldest first.
 */
export const readScript = new LuaScript(
  'read',
  `local meta, events = KEYS[1], KEYS[2]
local newEpoch, maxEvents, maxAge = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local afterArg, expected = ARGV[4], ARGV[5]
local maxBytes = tonumber(ARGV[6]) or math.huge
local now = tonumber(ARGV[7])
${LUA_RETENTION}
local all = redis.call('HGETALL', meta)
local m, runs, ended = {}, {}, {}
for i = 1, #all, 2 do
  local name, value = all[i], all[i + 1]
  m[name] = value
  local kind = string.sub(name, 1, 2)
  if kind == 'r:' or kind == 'l:' then
    if value == '' then ended[#ended + 1] = name
    elseif kind == 'r:' then runs[#runs + 1] = value end
  end
end
if #ended > 0 then redis.call('HDEL', meta, unpack(ended)) end
local epoch = m['epoch']
if not epoch then
  epoch = newEpoch
  redis.call('DEL', events)
  local x = tonumber(m['x'])
  local fields = {'epoch', epoch, 'seq', 0, 'ms', 0, 'hs', 1, 'bytes', 0, 'be', 0}
  local refresh = not x or x < now + maxAge
  if refresh then
    fields[#fields + 1] = 'x'
    fields[#fields + 1] = now + maxAge * 2
  end
  redis.call('HSET', meta, unpack(fields))
  if refresh then redis.call('PEXPIRE', meta, maxAge * 2) end
  m = {seq = '0', hs = '1'}
end
local latest = tonumber(m['seq']) or 0
local hs = tonumber(m['hs'])
if not hs then hs = latest - redis.call('XLEN', events) + 1 end
local st = {events = events, latest = latest, hs = hs, bytes = tonumber(m['bytes']) or 0,
  estimated = m['be'] == '1', pin = firstPin(m['pins']), maxEvents = maxEvents,
  maxBytes = maxBytes, cutoff = now - maxAge}
if trim(st) or not m['hs'] then
  redis.call('HSET', meta, 'hs', st.hs, 'bytes', st.bytes, 'be', st.estimated and '1' or '0')
end
local oldest = st.hs
if oldest > latest + 1 then oldest = latest + 1 end
if afterArg == '' then
  local reply = {epoch, latest, oldest}
  for i = 1, #runs do reply[#reply + 1] = runs[i] end
  return reply
end
local after = tonumber(afterArg)
if (expected ~= '' and expected ~= epoch) or after < oldest - 1 or after > latest then
  return {epoch, latest, oldest, 0}
end
local reply = {epoch, latest, oldest, 1}
local count = latest - after
if count > 0 then
  local entries = redis.call('XREVRANGE', events, '+', '-', 'COUNT', count)
  for i = #entries, 1, -1 do
    reply[#reply + 1] = entries[i][2][2]
  end
end
return reply`,
);

/** The position at the head of a read reply. */
export function parsePosition(reply: ScriptReply[]): StreamPosition {
  return {
    epoch: replyString(reply, 0, 'read'),
    latestSeq: replyInteger(reply, 1, 'read'),
    oldestSeq: replyInteger(reply, 2, 'read'),
  };
}

/** One record of a read reply (an entry's JSON). */
export function parseRecord(json: ScriptReply): StreamRecord {
  if (typeof json !== 'string') throw new TypeError('stream entry is not a string');
  const event = JSON.parse(json) as ChatEvent;
  return { seq: event.seq, event, json };
}

/** A position reply: the position and the runs in flight, oldest first. */
export function parseSnapshot(reply: ScriptReply[]): StreamSnapshot {
  const activeRuns: ActiveRun[] = [];
  for (let i = 3; i < reply.length; i++) {
    const text = reply[i];
    const entry: unknown = typeof text === 'string' ? JSON.parse(text) : undefined;
    if (!isActiveRun(entry)) throw new TypeError('run in flight entry is malformed');
    const { runId, threadId, agentName, firstSeq, startedAt } = entry;
    activeRuns.push({ runId, threadId, agentName, firstSeq, startedAt });
  }
  activeRuns.sort((a, b) => a.firstSeq - b.firstSeq);
  return { ...parsePosition(reply), activeRuns };
}
