-- Pipelined GET of the URL's path, `depth` requests per write (argument after --, default 16).
dofile(os.getenv("BENCH_LIB") .. "/wrk/report.lua")
local req
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for k = 1, depth do r[k] = wrk.format(nil) end
  req = table.concat(r)
end
request = function()
  return req
end
