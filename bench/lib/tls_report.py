"""The TLS part of bench/run's report (imported by report.py): HTTPS HTTP/1.1 and h2 beside the
peers as ratios to carafe-server, the handshake each peer gave, heap per idle TLS connection next
to the plain figure, and met/missed lines for the TLS targets.

A peer's h2 row exists only when its ALPN selected h2: bench/run offers h2 alone in the measured
runs (an HTTP/1.1 answer is never counted as h2), and such a peer shows 'n/a' with what ALPN gave.
"""
BASE = "carafe-server"
TLS_WORKLOADS = ["tls-plaintext", "h2"]
JVM_PEERS = ["netty", "vertx", "undertow", "helidon", "javalin"]
CARAFE = ["carafe-server", "carafe-framework"]
NGINX = "nginx"
NGINX_FLOOR = 0.9          # carafe-server >= 0.9x nginx on TLS HTTP/1.1
CLIENT_SATURATED = 95      # as report.py: the load generator's core was the limit


def fmt_int(v):
    return "–" if v is None else f"{v:,.0f}"


def fmt(v, digits=1):
    return "–" if v is None else f"{v:.{digits}f}"


def handshakes(tls):
    """peer -> the handshake of its last TLS start (alpn, tls_protocol, cipher, temp_key)."""
    return {r["peer"]: r.get("handshake") or {} for r in tls}


def h2_alpn(runs):
    """peer -> what ALPN gave in its h2 runs that were not h2 (the reason for an n/a)."""
    out = {}
    for r in runs:
        if r["workload"] == "h2" and r["result"].get("alpn") != "h2":
            out[r["peer"]] = r["result"].get("alpn") or "none"
    return out


def cell(s, p, w):
    v = s.get((p, w), {}).get("rps")
    if v is None:
        return "n/a"
    star = "*" if (s[(p, w)].get("client_cpu_pct") or 0) >= CLIENT_SATURATED else ""
    b = s.get((BASE, w), {}).get("rps")
    return fmt_int(v) + star + ("" if p == BASE or not b else f" ({v / b:.2f}×)")


def section(meta, s, peers, runs, tls, idle_tls, idle):
    tls_peers = [p for p in peers if any((p, w) in s for w in TLS_WORKLOADS)
                 or p in handshakes(tls) or any(r["peer"] == p for r in idle_tls)]
    if not tls_peers:
        return []
    hs, not_h2 = handshakes(tls), h2_alpn(runs)
    suite = meta.get("tls_suite", "?")
    lines = ["", f"HTTPS (every client offers TLS 1.3 with {suite} only; self-signed ECDSA P-256 certificate; "
             f"tls-plaintext = wrk -t1 -c{meta['conns']} over https, keep-alive; h2 = h2load -t1 -c{meta.get('h2_conns', 8)} "
             f"-m{meta.get('h2_streams', 8)}, ALPN offering h2 only; ratios to carafe-server; * = the client's core was "
             f"saturated; n/a under h2 = ALPN did not select h2, in brackets what it gave; handshake = what one client "
             "offering h2 and http/1.1 got):", "",
             "| peer | TLS HTTP/1.1 req/s | CPU µs/req | p99 ms | h2 req/s | h2 CPU µs/req | h2 mean ms | handshake |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for p in tls_peers:
        t, h = s.get((p, "tls-plaintext"), {}), s.get((p, "h2"), {})
        h2 = cell(s, p, "h2")
        if h2 == "n/a" and p in not_h2:
            h2 = f"n/a ({not_h2[p]})"
        k = hs.get(p, {})
        shake = " · ".join(x for x in (k.get("alpn"), k.get("tls_protocol"), k.get("cipher"), k.get("temp_key")) if x) or "–"
        lines.append(f"| {p} | {cell(s, p, 'tls-plaintext')} | {fmt(t.get('cpu_us'))} | {fmt(t.get('p99_ms'), 2)} | "
                     f"{h2} | {fmt(h.get('cpu_us'))} | {fmt(h.get('mean_ms'), 2)} | {shake} |")
    if (BASE, "h2") not in s and any((p, "h2") in s for p in tls_peers):
        lines += ["", f"{BASE} has no h2 row (ALPN gave {not_h2.get(BASE, 'nothing measured')}), so the h2 column has no "
                  "ratios; the targets below compare with the best JVM peer."]
    lines += idle_table(meta, idle_tls, idle)
    lines += targets(s, not_h2)
    return lines


def idle_table(meta, idle_tls, idle):
    if not idle_tls:
        return []
    plain = {r["peer"]: r for r in idle}
    lines = ["", f"Idle TLS connections ({meta['idle_n']:,} HTTPS keep-alive connections, each after one request; heap = "
             "used Java heap after a full GC, jstat; plain = the idle table above, same run):", "",
             "| peer | TLS connections held | heap KiB/conn TLS | heap KiB/conn plain | TLS ÷ plain | RSS KiB/conn TLS "
             "| burst: served (ms) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in idle_tls:
        p = r["peer"]
        tls_heap = per_conn(r, "heap")
        plain_heap = per_conn(plain[p], "heap") if p in plain else None
        ratio = fmt(tls_heap / plain_heap, 1) if tls_heap and plain_heap else "–"
        lines.append(f"| {p} | {r['open_ok']:,} | {fmt(tls_heap, 2)} | {fmt(plain_heap, 2)} | {ratio} | "
                     f"{fmt(per_conn(r, 'rss'), 1)} | {r['burst_ok']:,}/{r['n']:,} ({r['burst_ms']}) |")
    return lines


def per_conn(r, what):
    before, after = r.get(f"{what}0_kb"), r.get(f"{what}1_kb")
    if before is None or after is None or not r.get("open_ok"):
        return None
    return (after - before) / r["open_ok"]


def best_jvm(s, w):
    measured = [(s[(p, w)]["rps"], p) for p in JVM_PEERS if (p, w) in s]
    return max(measured) if measured else (None, None)


def targets(s, not_h2):
    lines = ["", "TLS targets (ratios within this run):", ""]
    for w, label in (("tls-plaintext", "TLS HTTP/1.1"), ("h2", "h2")):
        best, who = best_jvm(s, w)
        for p in CARAFE:
            v = s.get((p, w), {}).get("rps")
            goal = f"{p} ≥ the best JVM peer on {label}"
            if best is None:
                lines.append(f"- not measured: {goal} (no JVM peer measured)")
            elif v is None and w == "h2" and p in not_h2:
                lines.append(f"- missed: {goal}: its ALPN gave {not_h2[p]}, not h2 (best JVM peer: {who}, {best:,.0f} req/s)")
            elif v is None:
                lines.append(f"- not measured: {goal}")
            else:
                verdict = "met" if v >= best else "missed"
                lines.append(f"- {verdict}: {goal}: {v / best:.2f}× {who} ({v:,.0f} vs {best:,.0f})")
    v, n = s.get((BASE, "tls-plaintext"), {}).get("rps"), s.get((NGINX, "tls-plaintext"), {}).get("rps")
    goal = f"{BASE} ≥ {NGINX_FLOOR}× {NGINX} on TLS HTTP/1.1"
    if v is None or n is None:
        lines.append(f"- not measured: {goal}")
    else:
        lines.append(f"- {'met' if v / n >= NGINX_FLOOR else 'missed'}: {goal}: {v / n:.2f}× ({v:,.0f} vs {n:,.0f})")
    return lines

