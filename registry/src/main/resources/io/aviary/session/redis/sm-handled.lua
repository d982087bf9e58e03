-- Records how many stanzas from the client the server handled, if the session is still known; refreshes the TTLs.
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue. ARGV: inbound count.
local ttl = redis.call('HGET', KEYS[1], 'ttl')
if not ttl then
  return 0
end
-- Only a higher count: the gateway writes counts behind, and a late one must not undo a later.
if tonumber(ARGV[1]) > tonumber(redis.call('HGET', KEYS[1], 'in') or '0') then
  redis.call('HSET', KEYS[1], 'in', ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
