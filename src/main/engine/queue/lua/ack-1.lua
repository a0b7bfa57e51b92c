--[[
  Removes finished or dropped ids from a node's active list, several in one command: the jobs
  whose results one group commit wrote are acknowledged together.

  KEYS[1]  the node's active list
  ARGV     the ids

  Returns how many ids were in the list.
]]
local removed = 0
for i = 1, #ARGV do
  removed = removed + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return removed
