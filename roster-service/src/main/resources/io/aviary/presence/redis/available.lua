-- Records a resource's available presence and returns the one it replaces (nil for initial presence).
-- KEYS[1] pres:{bare}. ARGV: resource, encoded presence "priority<TAB>xml", TTL (ms).
-- The TTL is set on every write (and extended by the gateway heartbeat), so nothing lingers after a partition.
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return previous
