--[[
  Moves due ids from a waiting set to a ready list in one step, so an id is never in both and
  never in neither.

  KEYS[1]  waiting sorted set (score = due time in ms since the epoch)
  KEYS[2]  ready list
  ARGV[1]  now, in ms since the epoch
  ARGV[2]  the most ids to move in this call

  Returns { nextDueMs, id1, id2, ... }: the earliest due time still waiting ('-1' if none),
  then the ids moved, oldest due first.
]]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #ids > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
  redis.call('RPUSH', KEYS[2], unpack(ids))
end
local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local out = { nextDue[2] or '-1' }
for i = 1, #ids do out[i + 1] = ids[i] end
return out
