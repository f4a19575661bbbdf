/**
 * Lua shared by the append and read scripts: retention of a user's stream by count, bytes and
 * age, never past the first event of the oldest run in flight (docs/protocol.md#8-joining-mid-run).
 *
 * The meta hash keeps what trimming needs without reading entries: `hs` the oldest retained seq,
 * `hm` its entry time, `bytes` the UTF-8 bytes of the retained JSON, `pin` the `firstSeq` of the
 * oldest run in flight (absent when none) and one field `r:<runId>` per run in flight holding its
 * `welcome.activeRuns` entry as JSON. Entries are only read when something must be dropped: at
 * the count or byte bound, one short `XRANGE` and one `XTRIM` per append.
 *
 * `trim(st)` takes and updates `st` = {events, latest, hs, hm, bytes, pin, maxEvents, maxBytes,
 * cutoff}; it returns true when it dropped entries. `repin(meta)` recomputes `pin` from the
 * `r:` fields (when a run ends; a handful of fields at most).
 */
export const LUA_RETENTION = `
local function over(st, s, m)
  return s <= st.latest and s < st.pin and
    (st.latest - s + 1 > st.maxEvents or st.bytes > st.maxBytes or m < st.cutoff)
end
local function trim(st)
  if not over(st, st.hs, st.hm) then return false end
  local start, lastMs, lastPart = '-', nil, nil
  while st.hs <= st.latest and st.hs < st.pin do
    local n = st.latest - st.maxEvents + 1 - st.hs
    if n < 1 then n = 1 end
    if n > 200 then n = 200 end
    local batch = redis.call('XRANGE', st.events, start, '+', 'COUNT', n + 1)
    if #batch == 0 then
      st.hs = st.latest + 1
      break
    end
    local stop = false
    for i = 1, #batch do
      local id = batch[i][1]
      local dash = string.find(id, '-', 1, true)
      st.hm = tonumber(string.sub(id, 1, dash - 1))
      if not over(st, st.hs, st.hm) then
        stop = true
        break
      end
      st.bytes = st.bytes - #batch[i][2][2]
      start = '(' .. id
      lastMs, lastPart = st.hm, tonumber(string.sub(id, dash + 1))
      st.hs = st.hs + 1
    end
    if stop then break end
  end
  if not lastMs then return false end
  redis.call('XTRIM', st.events, 'MINID', lastMs .. '-' .. (lastPart + 1))
  return true
end
local function repin(meta)
  local all = redis.call('HGETALL', meta)
  local pin = nil
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == 'r:' then
      local first = tonumber(string.match(all[i + 1], '"firstSeq":(%d+)'))
      if first and (not pin or first < pin) then pin = first end
    end
  end
  if pin then redis.call('HSET', meta, 'pin', pin) else redis.call('HDEL', meta, 'pin') end
  return pin
end
`;
