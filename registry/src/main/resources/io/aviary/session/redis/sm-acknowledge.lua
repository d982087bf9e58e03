-- The client acknowledged h stanzas, the last at the given position: drops the queue up to it and records (h,
-- position) unless a later acknowledgement was recorded already (acknowledgements may arrive out of order).
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue. ARGV: h, position.
local meta = redis.call('HMGET', KEYS[1], 'acka', 'ttl')
if not meta[2] then
  return 0
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
if tonumber(ARGV[2]) >= tonumber(meta[1]) then
  redis.call('HSET', KEYS[1], 'ackh', ARGV[1], 'acka', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], meta[2])
redis.call('PEXPIRE', KEYS[2], meta[2])
return 1
