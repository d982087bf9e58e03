-- Removes a resource if it is still bound to the given connection; returns 1 if it did.
-- KEYS[1] sess:{bare}. ARGV: resource, connection id, full JID, bare JID (announced on sess:changed).
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return 0
end
local gateway, connection = string.match(current, '^([^\t]*)\t([^\t]*)\t')
if connection ~= ARGV[2] then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', 'gw:{' .. gateway .. '}:sessions', ARGV[3])
redis.call('PUBLISH', 'sess:changed', ARGV[4])
return 1
