-- RFC 6121 §4.6.2: records (ARGV[4] '1') or forgets ('0') a target of a session's directed available presence, if
-- the connection still owns the resource. Returns 1 if it did.
-- KEYS[1] sess:{bare}, KEYS[2] dp:{bare}:resource. ARGV: resource, connection id, target JID, '1' or '0',
-- session TTL (ms).
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return 0
end
local connection = string.match(current, '^[^\t]*\t([^\t]*)\t')
if connection ~= ARGV[2] then
  return 0
end
if ARGV[4] == '1' then
  redis.call('SADD', KEYS[2], ARGV[3])
  -- At least as long as the account's entry, which the gateway's heartbeat extends with it.
  local left = redis.call('PTTL', KEYS[1])
  redis.call('PEXPIRE', KEYS[2], math.max(left, tonumber(ARGV[5])))
else
  redis.call('SREM', KEYS[2], ARGV[3])
end
return 1
