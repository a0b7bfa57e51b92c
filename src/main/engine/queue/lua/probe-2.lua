--[[
  The health probe, once a second: one command that shows Redis answers, reads the generation
  marker (a FLUSHALL happens without a reconnect) and counts this node's successful MySQL probes
  for the self-fence (recovery/fencing.ts), so an idle node sends Redis one command a second.

  KEYS[1]  the generation marker
  KEYS[2]  the counter of the nodes' successful MySQL probes
  ARGV[1]  '1' if this node's last MySQL probe succeeded (counted), else '0'

  Returns { marker or false, counter }.
]]
local counter
if ARGV[1] == '1' then
  counter = redis.call('INCR', KEYS[2])
else
  counter = tonumber(redis.call('GET', KEYS[2]) or '0')
end
return { redis.call('GET', KEYS[1]), counter }
