-- Starts a resumable session's state (ResumptionStore.open), forgetting any earlier one under the same id.
-- KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue, KEYS[3] sm:hibernated.
-- ARGV: id, full JID, gateway id, connection id, max resumption (ms), max queue, key TTL (ms).
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'jid', ARGV[2], 'gw', ARGV[3], 'conn', ARGV[4], 'max', ARGV[5], 'maxq', ARGV[6],
    'ttl', ARGV[7], 'last', 0, 'ackh', 0, 'acka', 0, 'in', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 1
