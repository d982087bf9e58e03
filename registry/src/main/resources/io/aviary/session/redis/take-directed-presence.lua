-- The targets of a session's directed presence, forgotten in the same step, so that of the parties ending a
-- session (its gateway, a sweep of dead gateways, a reaper of expired sessions) only one sends them unavailable
-- presence (RFC 6121 §4.6.3). KEYS[1] dp:{bare}:resource.
local targets = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1])
return targets
