-- Records how many stanzas from the client the server handled, if the session is still known and the count is higher
-- than the one recorded (writes are not waited for); refreshes the TTLs.
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue. ARGV: inbound count.
local meta = redis.call('HMGET', KEYS[1], 'ttl', 'in')
local ttl = meta[1]
if not ttl then
  return 0
end
if tonumber(ARGV[1]) > tonumber(meta[2] or 0) then
  redis.call('HSET', KEYS[1], 'in', ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
