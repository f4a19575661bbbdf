import type { ChatEvent } from '@app/ws-protocol';
import type { StreamPosition, StreamRecord } from '@app/ws-core';
import { LUA_NOW, LuaScript, type ScriptReply } from './lua-script';
import { replyInteger, replyString } from './script-reply';

/**
 * Reads a user's stream position and, optionally, the events after a `seq`, in one atomic step:
 * drops entries older than `maxAgeMs` first, and starts a new epoch when the stream is gone
 * (`position` creates the stream, as the interface requires).
 *
 * Entries are contiguous in `seq` and only ever trimmed from the oldest end, so
 * `oldestSeq = latestSeq − XLEN + 1` without reading an entry, and the events after `afterSeq`
 * are the newest `latestSeq − afterSeq` entries (`XREVRANGE … COUNT`).
 *
 * KEYS: meta, events. ARGV: newEpoch, maxEvents, maxAgeMs, afterSeq ('' = position only),
 * expectedEpoch ('' = any).
 * Replies `{epoch, latestSeq, oldestSeq}` for a position, else
 * `{epoch, latestSeq, oldestSeq, complete (0/1), json…}` with the records oldest first.
 */
export const readScript = new LuaScript(
  'read',
  `local meta, events = KEYS[1], KEYS[2]
local newEpoch, maxEvents, maxAge = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local afterArg, expected = ARGV[4], ARGV[5]
${LUA_NOW}
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  epoch = newEpoch
  redis.call('DEL', events)
  redis.call('HSET', meta, 'epoch', epoch, 'seq', 0, 'ms', 0)
  redis.call('PEXPIRE', meta, maxAge)
end
local latest = tonumber(redis.call('HGET', meta, 'seq'))
local cutoff = now - maxAge
if cutoff > 0 then redis.call('XTRIM', events, 'MINID', cutoff .. '-0') end
local retained = redis.call('XLEN', events)
if retained > maxEvents then retained = maxEvents end
if retained > latest then retained = latest end
local oldest = latest - retained + 1
if afterArg == '' then return {epoch, latest, oldest} end
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

/**
 * Keeps a subscribed user's stream alive (the in-memory engine never expires a stream that has
 * listeners) and reports where it is, so a node notices a lost stream (new epoch) or a live
 * message it never received (a `seq` beyond what it delivered) even when nothing else happens.
 * KEYS: meta. ARGV: maxAgeMs. Replies `{epoch, latestSeq}`, or nil when the stream is gone.
 */
export const touchScript = new LuaScript(
  'touch',
  `local found = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
if not found[1] then return false end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {found[1], tonumber(found[2])}`,
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
