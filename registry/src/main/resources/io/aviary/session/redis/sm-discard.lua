-- XEP-0352: drops the one stanza at a position that the gateway will never write (a presence superseded while held
-- back), so the client's count of received stanzas keeps matching the queue. KEYS[1] the session's queue;
-- ARGV[1] the position.
return redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
