-- Queues a stanza for the client: returns its position, -1 when the session is unknown, -2 when its queue is full.
-- Queue members are "<position> <stanza XML>" scored by position. Refreshes both keys' TTL.
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue. ARGV: the stanza's XML.
local meta = redis.call('HMGET', KEYS[1], 'maxq', 'ttl')
if not meta[1] then
  return -1
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(meta[1]) then
  return -2
end
local position = redis.call('HINCRBY', KEYS[1], 'last', 1)
redis.call('ZADD', KEYS[2], position, position .. ' ' .. ARGV[1])
redis.call('PEXPIRE', KEYS[1], meta[2])
redis.call('PEXPIRE', KEYS[2], meta[2])
return position
