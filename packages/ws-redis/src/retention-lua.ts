/**
 * Lua shared by the append and read scripts: retention of a user's stream by count, bytes and
 * age, never past the first event of the oldest run in flight (docs/protocol.md#8-joining-mid-run).
 *
 * The meta hash keeps what trimming needs without reading entries: `hs` the oldest retained seq
 * (exact), `bytes` the UTF-8 bytes of the retained JSON (exact, or an estimate while `be` is
 * `1`: the append script trims by count inline with `XADD … MAXLEN` and subtracts the mean size
 * of what it dropped) and `pins`, the `firstSeq`s of the runs in flight, ascending (one field
 * `r:<runId>` per run in flight holds its `welcome.activeRuns` entry as JSON).
 *
 * `trim(st)` takes and updates `st` = {events, latest, hs, bytes, estimated, pin, maxEvents,
 * maxBytes, cutoff (nil: no age bound)} and applies the bounds exactly: an estimated byte count
 * near the bound is first recounted from the entries (`estimated` false afterwards). It reads
 * the oldest entries (one `XRANGE`, more only when several must go) and drops with one `XTRIM`;
 * it returns true when `st` changed. `firstPin(pins)` and `unpin(pins, seq)` read and edit the
 * `pins` list.
 */
export const LUA_RETENTION = `
local function firstPin(pins)
  local first = pins and string.match(pins, '^(%d+)')
  return first and tonumber(first) or nil
end
local function unpin(pins, seq)
  local kept = {}
  for s in string.gmatch(pins or '', '%d+') do
    if s ~= seq then kept[#kept + 1] = s end
  end
  return table.concat(kept, ' ')
end
local function trim(st)
  if st.hs > st.latest then return false end
  local changed = false
  if st.estimated and st.bytes > st.maxBytes / 2 then
    local total, start = 0, '-'
    repeat
      local batch = redis.call('XRANGE', st.events, start, '+', 'COUNT', 500)
      for i = 1, #batch do
        total = total + #batch[i][2][2]
        start = '(' .. batch[i][1]
      end
    until #batch < 500
    st.bytes, st.estimated, changed = total, false, true
  end
  local pin = st.pin or math.huge
  local function over(s, m)
    return s <= st.latest and s < pin and (st.latest - s + 1 > st.maxEvents or
      (not st.estimated and st.bytes > st.maxBytes) or (st.cutoff and m < st.cutoff))
  end
  local start, lastMs, lastPart = '-', nil, nil
  while st.hs <= st.latest and st.hs < pin do
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
      local m = tonumber(string.sub(id, 1, dash - 1))
      if not over(st.hs, m) then
        stop = true
        break
      end
      st.bytes = st.bytes - #batch[i][2][2]
      if st.bytes < 0 then st.bytes = 0 end
      start = '(' .. id
      lastMs, lastPart = m, tonumber(string.sub(id, dash + 1))
      st.hs = st.hs + 1
    end
    if stop then break end
  end
  if not lastMs then return changed end
  redis.call('XTRIM', st.events, 'MINID', lastMs .. '-' .. (lastPart + 1))
  return true
end
`;
