-- Hands out up to max sessions whose hibernation deadline has passed, each once: it leaves sm:hibernated and is
-- flagged reaped in the same step, so concurrent reapers never get the same session. Returns each session's fields
-- (HGETALL); ids whose state already aged out are dropped from the index.
-- KEYS[1] sm:hibernated. ARGV: now (ms since the epoch), max.
local expired = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])) do
  redis.call('ZREM', KEYS[1], id)
  local key = 'sm:{' .. id .. '}'
  if redis.call('EXISTS', key) == 1 and redis.call('HEXISTS', key, 'reaped') == 0 then
    redis.call('HSET', key, 'reaped', 1)
    table.insert(expired, redis.call('HGETALL', key))
  end
end
return expired
