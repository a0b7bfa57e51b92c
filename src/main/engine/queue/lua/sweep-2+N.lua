--[[
  The safety net of invariant 4: adds to the waiting set each given id that no queue holds.
  An id already waiting, ready, or taken by a node is left alone.

  KEYS[1]    waiting sorted set
  KEYS[2]    ready list
  KEYS[3..]  active lists of the nodes: the N of the file name (the caller passes 2 + N)
  ARGV       id1, dueMs1, id2, dueMs2, ...

  Returns the number of ids added.
]]
local held = {}
for k = 2, #KEYS do
  for _, id in ipairs(redis.call('LRANGE', KEYS[k], 0, -1)) do held[id] = true end
end
local added = 0
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  if not held[id] and not redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], ARGV[i + 1], id)
    added = added + 1
  end
end
return added
