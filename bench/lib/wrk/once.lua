-- One request, then the thread stops (wrk still waits out -d): bench/run --smoke's proof that
-- this wrk speaks HTTPS, without load.
dofile(os.getenv("BENCH_LIB") .. "/wrk/report.lua")
function response(status, headers, body)
  wrk.thread:stop()
end
