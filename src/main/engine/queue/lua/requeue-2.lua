--[[
  Puts an id a node took but did not start back into a waiting set, in one step.

  KEYS[1]  the node's active list
  KEYS[2]  waiting sorted set
  ARGV[1]  id
  ARGV[2]  due time in ms since the epoch

  Returns 1 if the id was in the active list, else 0 (it is added to waiting either way).
]]
local removed = redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return removed
