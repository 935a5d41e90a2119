-- One request, then the thread stops (wrk still waits out -d): bench/run --smoke's proof that
-- this wrk speaks HTTPS, and --dry's stand-in for every load run. BENCH_ONCE_OF names the
-- workload's own script, so the one request is the one it would send.
local of = os.getenv("BENCH_ONCE_OF")
dofile(of and of ~= "" and of or (os.getenv("BENCH_LIB") .. "/wrk/report.lua"))
function response(status, headers, body)
  wrk.thread:stop()
end
