#!/usr/bin/env python3
"""Turns h2load's text output (on stdin) into one JSON object for bench/run (on stdout).

    h2load ... | bench/lib/h2load.py

Fields as wrk's BENCHJSON where h2load has them (requests = responses that succeeded,
duration_us, error counts), plus what the handshake gave: alpn (the application protocol h2load
used: "h2", "http/1.1", or null when none was negotiated), tls_protocol, cipher, temp_key. h2load
reports the mean and max time per request, not percentiles: mean_us, max_us. A run whose alpn is
not "h2" must not be counted as h2; bench/run and report.py check the field.
"""
import json
import re
import sys

UNITS = {"us": 1, "ms": 1000, "s": 1000000}


def micros(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse(out):
    r = {"alpn": None, "tls_protocol": None, "cipher": None, "temp_key": None}
    for key, label in (("alpn", "Application protocol"), ("tls_protocol", "TLS Protocol"),
                       ("cipher", "Cipher"), ("temp_key", "Server Temp Key")):
        m = re.search(rf"^{label}: (.+)$", out, re.M)
        if m:
            r[key] = m.group(1).strip()
    m = re.search(r"^finished in ([\d.]+(?:us|ms|s)), ", out, re.M)
    req = re.search(r"^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                    r"(\d+) errored, (\d+) timeout", out, re.M)
    if m and req:
        total, started, done, ok, failed, errored, timeout = map(int, req.groups())
        # failed counts errored requests and non-success statuses already: one error count.
        r |= {"requests": ok, "duration_us": int(micros(m.group(1))), "status": 0, "connect": 0,
              "read": failed, "write": 0, "timeout": timeout, "started": started, "done": done}
    t = re.search(r"^time for request:\s+(\S+)\s+(\S+)\s+(\S+)", out, re.M)
    if t:
        r["mean_us"] = micros(t.group(3))
        r["max_us"] = micros(t.group(2))
    return r


if __name__ == "__main__":
    print(json.dumps(parse(sys.stdin.read())))
