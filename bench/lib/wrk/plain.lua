-- GET of the URL given on the command line (plaintext, json).
dofile(os.getenv("BENCH_LIB") .. "/wrk/report.lua")
