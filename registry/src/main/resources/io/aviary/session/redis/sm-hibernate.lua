-- The session's connection is gone: it stays resumable until the deadline, which sm:hibernated records for the
-- reapers. Refused (0) for an unknown session, another connection, or one already handed out as expired.
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue, KEYS[3] sm:hibernated.
-- ARGV: id, connection id, deadline (ms since the epoch), TTL the keys need to outlive the deadline (ms).
local meta = redis.call('HMGET', KEYS[1], 'conn', 'reaped', 'ttl')
if not meta[1] or meta[1] ~= ARGV[2] or meta[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'until', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
local ttl = math.max(tonumber(meta[3]), tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
