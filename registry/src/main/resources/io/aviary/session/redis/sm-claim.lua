-- A resumption takes the session for a new connection, unless it is unknown, expired or handed out as expired.
-- Returns the session's fields after the move (HGETALL), plus 'prev' and the gateway that held it before; an empty
-- list when refused.
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue, KEYS[3] sm:hibernated. ARGV: id, gateway id, connection id, now (ms).
local meta = redis.call('HMGET', KEYS[1], 'gw', 'until', 'reaped', 'ttl')
if not meta[1] or meta[3] or (meta[2] and tonumber(meta[2]) <= tonumber(ARGV[4])) then
  return {}
end
redis.call('HSET', KEYS[1], 'gw', ARGV[2], 'conn', ARGV[3])
redis.call('HDEL', KEYS[1], 'until')
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[1], meta[4])
redis.call('PEXPIRE', KEYS[2], meta[4])
local fields = redis.call('HGETALL', KEYS[1])
table.insert(fields, 'prev')
table.insert(fields, meta[1])
return fields
