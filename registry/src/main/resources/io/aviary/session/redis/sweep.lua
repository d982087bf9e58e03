-- Ends the sessions of a gateway whose liveness key has expired, unless it came back meanwhile. A XEP-0198
-- resumable session whose resumption state still exists (sm:{id}) is kept instead, flagged hibernated, with its
-- account's keys (and its directed presence targets, dp:) living at least as long as that state, so its client can resume it on another gateway.
-- Announces each affected bare JID on sess:changed. Returns 'alive' when the gateway came back, else 'swept' followed
-- by four values per session: full JID, its entry before the sweep, 'removed' or 'hibernated', and for a removed one
-- the targets of its directed presence (RFC 6121 §4.6.3: owed its unavailable presence), tab-separated, taken from
-- dp:{bare}:resource in the same step so that a new session of the resource does not lose its own.
-- KEYS[1] gw:{gateway}:alive, KEYS[2] gw:{gateway}:sessions, KEYS[3] gateways. ARGV: gateway id.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'alive'}
end
local swept = {'swept'}
for _, full in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local bare, resource = string.match(full, '^([^/]*)/(.*)$')
  local key = 'sess:{' .. bare .. '}'
  local entry = redis.call('HGET', key, resource)
  -- The resource may have been re-bound on another gateway since; that session is not ours to end.
  if entry and string.match(entry, '^([^\t]*)\t') == ARGV[1] then
    local fields = {}
    for field in string.gmatch(entry .. '\t', '([^\t]*)\t') do
      table.insert(fields, field)
    end
    local ttl = fields[6] and fields[6] ~= '' and redis.call('HGET', 'sm:{' .. fields[6] .. '}', 'ttl')
    local outcome = 'removed'
    if ttl then
      outcome = 'hibernated'
      fields[7] = '1'
      redis.call('HSET', key, resource, table.concat(fields, '\t'))
      local owns = {key, 'pres:{' .. bare .. '}', 'roster:{' .. bare .. '}:interested', 'dp:{' .. bare .. '}:' .. resource}
      for _, owned in ipairs(owns) do
        local left = redis.call('PTTL', owned)
        if left >= 0 and left < tonumber(ttl) then
          redis.call('PEXPIRE', owned, ttl)
        end
      end
    end
    local directed = ''
    if outcome == 'removed' then
      redis.call('HDEL', key, resource)
      local targetsKey = 'dp:{' .. bare .. '}:' .. resource
      directed = table.concat(redis.call('SMEMBERS', targetsKey), '\t')
      redis.call('DEL', targetsKey)
    end
    table.insert(swept, full)
    table.insert(swept, entry)
    table.insert(swept, outcome)
    table.insert(swept, directed)
    redis.call('PUBLISH', 'sess:changed', bare)
  end
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return swept
