-- XEP-0198 resumption: moves the resource's session to another gateway connection if its resumption id matches,
-- clears its hibernated flag and moves the full JID between the gateways' session sets. Returns the entry as it was
-- before (nil when the resource is not bound or bound to a session with another resumption id).
-- KEYS[1] sess:{bare}, KEYS[2] gw:{new gateway}:sessions.
-- ARGV: resource, resumption id, new gateway id, new connection id, full JID, session TTL (ms), bare JID.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return false
end
local fields = {}
for field in string.gmatch(current .. '\t', '([^\t]*)\t') do
  table.insert(fields, field)
end
if fields[6] ~= ARGV[2] then
  return false
end
local previousGateway = fields[1]
fields[1] = ARGV[3]
fields[2] = ARGV[4]
fields[7] = '0'
redis.call('HSET', KEYS[1], ARGV[1], table.concat(fields, '\t'))
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if previousGateway ~= ARGV[3] then
  redis.call('SREM', 'gw:{' .. previousGateway .. '}:sessions', ARGV[5])
end
redis.call('SADD', KEYS[2], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('PUBLISH', 'sess:changed', ARGV[7])
return current
