--[[
  Takes up to ARGV[1] ready ids into a node's active list in one step: first the ids pinned to
  the node, then shared ones. Each id moves with LMOVE, so it is in exactly one list at any
  moment (invariant 2). The caller asks for no more than its free workers (invariant 5), so
  other nodes keep their share of the rest.

  KEYS[1]  the node's pinned ready list
  KEYS[2]  the shared ready list
  KEYS[3]  the node's active list
  ARGV[1]  the most ids to take

  Returns the ids taken, pinned ones first, each list in its order.
]]
local want = tonumber(ARGV[1])
local out = {}
for k = 1, 2 do
  while #out < want do
    local id = redis.call('LMOVE', KEYS[k], KEYS[3], 'LEFT', 'RIGHT')
    if not id then break end
    out[#out + 1] = id
  end
end
return out
