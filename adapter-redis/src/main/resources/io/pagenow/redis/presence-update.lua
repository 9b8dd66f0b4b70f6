-- KEYS: live set, user hash, then the presence-connection hash of each user the update is pushed to.
-- ARGV: user, millis, nanos, url, title, domain, '1' when a latest shared page follows, its url,
-- title, domain. Returns the latest shared page after the update, then each of those users'
-- connections (HGETALL: id, node, id, node, ...), so the write and the fan-out's lookup are one
-- round trip.
local wasLive = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], 'seen', ARGV[2], 'seenNs', ARGV[3], 'url', ARGV[4], 'title', ARGV[5], 'domain', ARGV[6])
if ARGV[7] == '1' then
  redis.call('HSET', KEYS[2], 'lurl', ARGV[8], 'ltitle', ARGV[9], 'ldomain', ARGV[10])
elseif not wasLive then
  redis.call('HSET', KEYS[2], 'lurl', '', 'ltitle', '', 'ldomain', '')
end
local reply = {redis.call('HMGET', KEYS[2], 'lurl', 'ltitle', 'ldomain')}
for i = 3, #KEYS do
  reply[i - 1] = redis.call('HGETALL', KEYS[i])
end
return reply
