-- gb-ratelimit: one GCRA decision over one or two buckets of one client, atomically.
-- KEYS[i]: the state of bucket i ("TAT_MICROS:REMAINDER", the theoretical arrival time in units
--          of 1/SCALE microsecond split so that every number stays an exact double below 2^53).
-- ARGV[4(i-1)+1..4]: INCREMENT div SCALE, INCREMENT mod SCALE, SCALE, TOLERANCE (in units).
-- Returns {allowed 0|1, diff of bucket 1, diff of bucket 2 or 0}; diff = new TAT - now, in units.
-- A request is allowed only if every bucket allows it; a denied request writes nothing.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local ok = 1
local diffs = {0, 0}
local us = {}
local rems = {}
for i = 1, #KEYS do
  local o = (i - 1) * 4
  local incUs = tonumber(ARGV[o + 1])
  local incRem = tonumber(ARGV[o + 2])
  local scale = tonumber(ARGV[o + 3])
  local tol = tonumber(ARGV[o + 4])
  local a, b = now, 0
  local v = redis.call('GET', KEYS[i])
  if v then
    local sa, sb = string.match(v, '^(%d+):(%d+)$')
    local ta, tb = tonumber(sa), tonumber(sb)
    if ta and tb and (ta > now or (ta == now and tb > 0)) then
      a, b = ta, tb
    end
  end
  a = a + incUs
  b = b + incRem
  if b >= scale then
    b = b - scale
    a = a + 1
  end
  local diff = (a - now) * scale + b
  diffs[i] = diff
  us[i] = a
  rems[i] = b
  if diff > tol then
    ok = 0
  end
end
if ok == 1 then
  for i = 1, #KEYS do
    -- milliseconds until the bucket is full again, rounded up: then the key may vanish
    local ttl = math.floor((us[i] - now) / 1000) + 1
    redis.call('SET', KEYS[i], string.format('%.0f:%.0f', us[i], rems[i]), 'PX', string.format('%.0f', ttl))
  end
end
return {ok, diffs[1], diffs[2]}
