-- A gateway is alive: (re)sets its liveness key, registers it among the known gateways and extends the
-- TTL of its session index, of the per-account keys (sessions, last presences, roster interest) of the
-- accounts it holds sessions for and of each session's directed presence targets. Returns 1 if Redis still knew the gateway, 0 if not: its first beat, or
-- it was swept as dead, or Redis lost its data (a restart without persistence); in the latter cases its
-- sessions are gone from the registry.
-- KEYS[1] gw:{gateway}:alive, KEYS[2] gw:{gateway}:sessions, KEYS[3] gateways.
-- ARGV: gateway id, liveness TTL (ms), session TTL (ms).
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
local known = 1 - redis.call('SADD', KEYS[3], ARGV[1])
local sessions = redis.call('SMEMBERS', KEYS[2])
local extended = {}
for _, full in ipairs(sessions) do
  local bare, resource = string.match(full, '^([^/]*)/(.*)$')
  redis.call('PEXPIRE', 'dp:{' .. bare .. '}:' .. resource, ARGV[3])
  if not extended[bare] then
    extended[bare] = true
    redis.call('PEXPIRE', 'sess:{' .. bare .. '}', ARGV[3])
    redis.call('PEXPIRE', 'pres:{' .. bare .. '}', ARGV[3])
    redis.call('PEXPIRE', 'roster:{' .. bare .. '}:interested', ARGV[3])
  end
end
if #sessions > 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return known
