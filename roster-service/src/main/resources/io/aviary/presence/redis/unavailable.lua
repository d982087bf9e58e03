-- Forgets a resource and returns its last available presence (nil when it was not available).
-- KEYS[1] pres:{bare}. ARGV: resource. Redis deletes the hash with its last field.
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return previous
