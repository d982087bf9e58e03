-- Rewrites fields of an entry if the resource is still bound to the given connection; returns 1 if it did.
-- KEYS[1] sess:{bare}. ARGV: resource, connection id, bare JID (announced on sess:changed), then pairs of field
-- number and new value. Fields (EntryCodec): 1 gateway, 2 connection, 3 priority, 4 available, 5 carbons,
-- 6 resumption id, 7 hibernated.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return 0
end
local fields = {}
for field in string.gmatch(current .. '\t', '([^\t]*)\t') do
  table.insert(fields, field)
end
if fields[2] ~= ARGV[2] then
  return 0
end
-- An entry of four fields was written before carbons and resumption existed.
fields[5] = fields[5] or '0'
fields[6] = fields[6] or ''
fields[7] = fields[7] or '0'
for i = 4, #ARGV, 2 do
  fields[tonumber(ARGV[i])] = ARGV[i + 1]
end
redis.call('HSET', KEYS[1], ARGV[1], table.concat(fields, '\t'))
redis.call('PUBLISH', 'sess:changed', ARGV[3])
return 1
