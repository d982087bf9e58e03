-- Adds an interested resource and (re)sets the TTL in one step, so the set never lives without one.
-- KEYS[1] roster:{bare}:interested. ARGV: full JID, TTL (ms).
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
