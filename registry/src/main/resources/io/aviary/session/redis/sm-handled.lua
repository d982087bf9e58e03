-- Records how many stanzas from the client the server handled, if the session is still known; refreshes the TTLs.
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue. ARGV: inbound count.
local ttl = redis.call('HGET', KEYS[1], 'ttl')
if not ttl then
  return 0
end
redis.call('HSET', KEYS[1], 'in', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
