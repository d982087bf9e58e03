-- Forgets a session and its queue. KEYS[1] sm:{id}, KEYS[2] sm:{id}:queue, KEYS[3] sm:hibernated. ARGV: id.
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
