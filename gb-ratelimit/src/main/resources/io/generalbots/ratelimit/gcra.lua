-- gb-ratelimit: one GCRA decision over one or two buckets of one client, atomically.
-- KEYS[i]: the state of bucket i: "TAT_MICROS:REMAINDER", or "TAT_MICROS" when the remainder is 0
--          (the theoretical arrival time in units of 1/SCALE microsecond, split so that every
--          number stays an exact double below 2^53).
-- ARGV[4(i-1)+1..4]: INCREMENT div SCALE, INCREMENT mod SCALE, SCALE, TOLERANCE (in units).
-- Returns {allowed 0|1, diff of bucket 1, diff of bucket 2 or 0}; diff = new TAT - now, in units.
-- A request is allowed only if every bucket allows it; a denied request writes nothing.
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]

local function take(key, o)
  local a, b = now, 0
  local v = redis.call('GET', key)
  if v then
    local ta, tb = tonumber(v), 0
    if not ta then
      local sa, sb = string.match(v, '^(%d+):(%d+)$')
      ta, tb = tonumber(sa), tonumber(sb)
    end
    if ta and tb and (ta > now or (ta == now and tb > 0)) then
      a, b = ta, tb
    end
  end
  local scale = tonumber(ARGV[o + 3])
  a = a + ARGV[o + 1]
  b = b + ARGV[o + 2]
  if b >= scale then
    b = b - scale
    a = a + 1
  end
  local diff = (a - now) * scale + b
  return diff, diff <= tonumber(ARGV[o + 4]), a, b
end

local function put(key, a, b)
  -- PX: milliseconds until the bucket is full again, rounded up; then the key vanishes
  local ttl = math.floor((a - now) / 1000) + 1
  if b == 0 then
    redis.call('SET', key, string.format('%.0f', a), 'PX', ttl)
  else
    redis.call('SET', key, string.format('%.0f:%.0f', a, b), 'PX', ttl)
  end
end

local d1, ok1, a1, b1 = take(KEYS[1], 0)
if KEYS[2] == nil then
  if ok1 then
    put(KEYS[1], a1, b1)
    return {1, d1, 0}
  end
  return {0, d1, 0}
end
local d2, ok2, a2, b2 = take(KEYS[2], 4)
if ok1 and ok2 then
  put(KEYS[1], a1, b1)
  put(KEYS[2], a2, b2)
  return {1, d1, d2}
end
return {0, d1, d2}
