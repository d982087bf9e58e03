-- Removes the sessions of a gateway whose liveness key has expired, unless it came back meanwhile.
-- Announces each affected bare JID on sess:changed. Returns the removed sessions as a flat list: full JID, encoded entry, full JID, encoded entry, ...
-- KEYS[1] gw:{gateway}:alive, KEYS[2] gw:{gateway}:sessions, KEYS[3] gateways. ARGV: gateway id.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {}
end
local removed = {}
for _, full in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local bare, resource = string.match(full, '^([^/]*)/(.*)$')
  local key = 'sess:{' .. bare .. '}'
  local entry = redis.call('HGET', key, resource)
  -- The resource may have been re-bound on another gateway since; that session is not ours to end.
  if entry and string.match(entry, '^([^\t]*)\t') == ARGV[1] then
    redis.call('HDEL', key, resource)
    table.insert(removed, full)
    table.insert(removed, entry)
    redis.call('PUBLISH', 'sess:changed', bare)
  end
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return removed
