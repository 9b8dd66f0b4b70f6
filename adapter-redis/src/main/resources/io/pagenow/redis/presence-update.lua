local wasLive = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], 'seen', ARGV[2], 'seenNs', ARGV[3], 'url', ARGV[4], 'title', ARGV[5], 'domain', ARGV[6])
if ARGV[7] == '1' then
  redis.call('HSET', KEYS[2], 'lurl', ARGV[8], 'ltitle', ARGV[9], 'ldomain', ARGV[10])
elseif not wasLive then
  redis.call('HSET', KEYS[2], 'lurl', '', 'ltitle', '', 'ldomain', '')
end
return redis.call('HMGET', KEYS[2], 'lurl', 'ltitle', 'ldomain')
