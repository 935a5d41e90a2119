#!/usr/bin/env python3
"""Startup time: process start to the first successful GET /plaintext, median of N runs.

    startup.py N PORT -- CMD...                          measure
    startup.py --train CACHE PORT WORKLOADS -- CMD...    record a JDK AOT cache for the measure runs

({port} in CMD is replaced by the port.)

Measuring starts CMD (bench/run passes it already pinned with taskset), polls the port every 2 ms
with a raw HTTP/1.1 request until a 200 arrives, records the time since just before the process
was spawned, kills the process and waits for it. Prints one JSON line: {"runs_ms": [...], "median_ms": M}.

Training: CMD is a JVM started with -XX:AOTCacheOutput=CACHE (JDK 25+). Once it answers, it gets
TRAIN_ROUNDS rounds of requests of WORKLOADS (comma-separated: plaintext, json, routing, post, as
the benchmark sends them), then SIGTERM: the JVM writes the cache as it exits. Prints
{"train_s": T, "cache_mb": M}; fails when no cache was written. The JVM's output goes to CACHE.log.
"""
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

TRAIN_ROUNDS = 200
POST_BODY = (b"abcdefghijklmnopqrstuvwxyz" * 158)[:4096]  # the body bench/lib/wrk/post.lua sends


def answered(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = s.recv(4096)
            return data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")
    except OSError:
        return False


def spawn(argv, out=subprocess.DEVNULL):
    return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_answer(p, argv, port, t0, timeout=60):
    while time.perf_counter() - t0 < timeout:
        if answered(port):
            return (time.perf_counter() - t0) * 1000
        if p.poll() is not None:
            raise SystemExit(f"startup.py: {argv[0]} exited with {p.returncode} before answering")
        time.sleep(0.002)
    raise SystemExit(f"startup.py: no answer within {timeout}s")


def one(cmd, port):
    argv = [a.replace("{port}", str(port)) for a in cmd]
    t0 = time.perf_counter()
    p = spawn(argv)
    try:
        return wait_answer(p, argv, port, t0)
    finally:
        try:  # a graceful stop is not what is measured here, and some peers take seconds for it
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()


def request(workload, k):
    """The k-th request of a workload, as (method, path[, body, headers]) for http.client."""
    match workload:
        case "plaintext" | "json":
            return "GET", "/" + workload
        case "routing":
            return "GET", f"/r{k % 100}/{1000 + k * 7}"
        case "post":
            return "POST", "/post", POST_BODY, {"Content-Type": "application/octet-stream"}
    raise SystemExit(f"startup.py: no training requests for workload {workload}")


def train(cache, port, workloads, cmd):
    argv = [a.replace("{port}", str(port)) for a in cmd]
    t0 = time.perf_counter()
    with open(cache + ".log", "w") as log:
        p = spawn(argv, log)
        try:
            wait_answer(p, argv, port, t0)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for k in range(TRAIN_ROUNDS):
                for w in workloads:
                    conn.request(*request(w, k))
                    r = conn.getresponse()
                    r.read()
                    if r.status != 200:
                        raise SystemExit(f"startup.py: training got {r.status} for {w}")
            conn.close()
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=300)  # the JVM assembles the cache before it exits: seconds, not minutes
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
    if not os.path.exists(cache):
        raise SystemExit(f"startup.py: no AOT cache written by {argv[0]} (see {cache}.log)")
    print(json.dumps({"train_s": round(time.perf_counter() - t0, 1), "cache_mb": round(os.path.getsize(cache) / 2**20, 1)}))


def main():
    cmd = sys.argv[sys.argv.index("--") + 1:]
    if sys.argv[1] == "--train":
        train(sys.argv[2], int(sys.argv[3]), [w for w in sys.argv[4].split(",") if w], cmd)
        return
    n, port = int(sys.argv[1]), int(sys.argv[2])
    runs = [round(one(cmd, port), 1) for k in range(n)]
    print(json.dumps({"runs_ms": runs, "median_ms": statistics.median(runs)}))


if __name__ == "__main__":
    main()
