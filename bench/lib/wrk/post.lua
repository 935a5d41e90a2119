-- POST /post with a 4 KiB body (the peer answers its CRC32).
dofile(os.getenv("BENCH_LIB") .. "/wrk/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.body = string.rep("abcdefghijklmnopqrstuvwxyz", 157) .. "abcdefghijklmn"  -- 4096 bytes
