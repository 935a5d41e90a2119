#!/usr/bin/env python3
"""Startup time: process start to the first successful GET /plaintext, median of N runs.

    startup.py N PORT -- CMD... ({port} in CMD is replaced by the port)

Starts CMD (bench/run passes it already pinned with taskset), polls the port every 2 ms with a
raw HTTP/1.1 request until a 200 arrives, records the time since just before the process was
spawned, kills the process and waits for it. Prints one JSON line: {"runs_ms": [...], "median_ms": M}.
"""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def answered(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = s.recv(4096)
            return data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")
    except OSError:
        return False


def one(cmd, port, timeout=60):
    argv = [a.replace("{port}", str(port)) for a in cmd]
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while time.perf_counter() - t0 < timeout:
            if answered(port):
                return (time.perf_counter() - t0) * 1000
            if p.poll() is not None:
                raise SystemExit(f"startup.py: {argv[0]} exited with {p.returncode} before answering")
            time.sleep(0.002)
        raise SystemExit(f"startup.py: no answer within {timeout}s")
    finally:
        try:  # a graceful stop is not what is measured here, and some peers take seconds for it
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()


def main():
    n, port = int(sys.argv[1]), int(sys.argv[2])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    runs = [round(one(cmd, port), 1) for k in range(n)]
    print(json.dumps({"runs_ms": runs, "median_ms": statistics.median(runs)}))


if __name__ == "__main__":
    main()
