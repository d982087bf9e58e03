-- Binds a resource and returns the entry it displaced (nil when the resource was free or bound to the
-- same connection). KEYS[1] sess:{bare}, KEYS[2] gw:{gateway}:sessions.
-- ARGV: resource, encoded entry, full JID, gateway id, connection id, session TTL (ms), bare JID.
-- Announces the bare JID on sess:changed for the routers' caches.
-- Entries are encoded "gateway<TAB>connection<TAB>priority<TAB>available<TAB>..." (EntryCodec).
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('PUBLISH', 'sess:changed', ARGV[7])
if not previous then
  return false
end
local gateway, connection = string.match(previous, '^([^\t]*)\t([^\t]*)\t')
if gateway ~= ARGV[4] then
  redis.call('SREM', 'gw:{' .. gateway .. '}:sessions', ARGV[3])
elseif connection == ARGV[5] then
  return false
end
return previous
