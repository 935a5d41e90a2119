-- GET /r{i}/{id}, spread evenly over the 100 routes, ids varying.
dofile(os.getenv("BENCH_LIB") .. "/wrk/report.lua")
local reqs = {}
local n = 0
init = function(args)
  for k = 0, 999 do
    reqs[k + 1] = wrk.format("GET", "/r" .. (k % 100) .. "/" .. (1000 + k * 7))
  end
  n = #reqs
end
local i = 0
request = function()
  i = i % n + 1
  return reqs[i]
end
