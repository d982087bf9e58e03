-- Replaces the presence part of an entry if the resource is still bound to the given connection.
-- KEYS[1] sess:{bare}. ARGV: resource, connection id, encoded presence "priority<TAB>available",
-- bare JID (announced on sess:changed).
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return 0
end
local owner, connection = string.match(current, '^([^\t]*\t([^\t]*)\t)')
if connection ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], owner .. ARGV[3])
redis.call('PUBLISH', 'sess:changed', ARGV[4])
return 1
