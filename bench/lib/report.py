#!/usr/bin/env python3
"""Renders a bench/run results directory: tables on stdout, optionally docs and an SVG chart.

    report.py RESULTS_DIR [--docs docs/benchmarks.md --svg docs/benchmarks.svg]

Reads meta.json, runs.jsonl (one line per peer x workload x round), idle.jsonl, startup.jsonl,
and for the TLS workloads tls.jsonl (each TLS start's handshake) and idle-tls.jsonl (tls_report.py).
Every metric is the median over rounds; ratios are to carafe-server measured in the same run.
Throughput figures are marked where wrk's own CPU time shows its core was saturated.
With --docs, the part of the Markdown file between the bench:results markers is replaced (the
hand-written method and commentary around it stay), and the chart is written to --svg.
"""
import json
import os
import statistics
import sys
from collections import defaultdict

import tls_report

BASE = "carafe-server"
WORKLOADS = ["plaintext", "json", "routing", "post", "pipelined"]
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
# wrk runs one thread on its own core: at this share of the run's length the client is the limit.
CLIENT_SATURATED = 95
CEILING = ("bare-loop is the ceiling, not a server: a NIO loop that does nothing but count request heads and "
           "write canned responses, one write per read batch (plaintext and pipelined only), so its row is "
           "what this machine and load generator allow.")


def load(path):
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.strip()]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    """(peer, workload) -> dict of median metrics."""
    groups = defaultdict(list)
    for r in runs:
        groups[(r["peer"], r["workload"])].append(r["result"])
    out = {}
    for key, results in groups.items():
        rows = []
        for x in results:
            if not x.get("requests"):
                continue
            secs = x["duration_us"] / 1e6
            cpu_us = x["cpu_ticks"] / x["tck"] * 1e6
            client = x.get("client_cpu_ticks")  # wrk runs only; results from before it have none
            rows.append({
                "rps": x["requests"] / secs,
                "offered_rps": x.get("offered_rps"),
                "p999_ms": x["p999_us"] / 1000 if "p999_us" in x else None,
                "max_ms": x["max_us"] / 1000 if "max_us" in x else None,
                "lag_p99_ms": x["lag_p99_us"] / 1000 if "lag_p99_us" in x else None,
                "client_wait_ms": x["client_runq_wait_us"] / 1000 if "client_runq_wait_us" in x else None,
                "warm_p99_ms": " / ".join(f"{w['p99_us'] / 1000:.2f}" for w in x.get("warmups", [])) or None,
                "cpu_us": cpu_us / x["requests"],
                "client_cpu_pct": None if client is None else client / x["tck"] / secs * 100,
                "p50_ms": x["p50_us"] / 1000 if "p50_us" in x else None,  # h2load reports no percentiles
                "p99_ms": x["p99_us"] / 1000 if "p99_us" in x else None,
                "mean_ms": x["mean_us"] / 1000 if "mean_us" in x else None,
                "errors": x["status"] + x["connect"] + x["read"] + x["write"] + x["timeout"],
                "rss_mb": x["rss_kb"] / 1024,
            })
        if rows:
            out[key] = {k: med([r[k] for r in rows]) if k != "warm_p99_ms" else rows[-1][k] for k in rows[0]} | {
                "n": len(rows), "best_rps": max(r["rps"] for r in rows),
                "best_p99_ms": min((r["p99_ms"] for r in rows if r["p99_ms"] is not None), default=None)}
    return out


def fmt_int(v):
    return "–" if v is None else f"{v:,.0f}"


def fmt(v, digits=1):
    return "–" if v is None else f"{v:.{digits}f}"


def ratio(v, base):
    return "" if v is None or not base else f" ({v / base:.2f}×)"


def saturated(v):
    """Whether the load generator's core was saturated in this (peer, workload)'s runs."""
    return (v.get("client_cpu_pct") or 0) >= CLIENT_SATURATED


def peers_in_order(runs, idle, startup, *more):
    seen = []
    for r in [*runs, *idle, *startup, *(r for m in more for r in m)]:
        if r["peer"] not in seen:
            seen.append(r["peer"])
    order = ["carafe-server", "carafe-framework", "netty", "vertx", "undertow", "helidon", "javalin",
             "jdk-httpserver", "bare-loop", "nginx", "uvicorn", "flask"]
    return sorted(seen, key=lambda p: order.index(p) if p in order else len(order))


def tables(meta, runs, idle, startup, tls=(), idle_tls=()):
    s = summarize(runs)
    peers = peers_in_order(runs, idle, startup, idle_tls)
    lines = []
    # Peers with a plain-HTTP workload (a --only-tls run has none: no empty tables).
    plain_peers = [p for p in peers if any((p, w) in s for w in WORKLOADS + ["rate"])]
    if plain_peers:
        lines.append("Requests per second (median of %d round(s); in brackets: ratio to carafe-server):" % meta["rounds"])
        lines.append("")
        lines.append("| peer | " + " | ".join(w if w != "pipelined" else f"pipelined ×{meta['pipe_depth']}" for w in WORKLOADS) + " |")
        lines.append("|---|" + "---:|" * len(WORKLOADS))
        marked = False
        for p in plain_peers:
            cells = []
            for w in WORKLOADS:
                v = s.get((p, w), {}).get("rps")
                b = s.get((BASE, w), {}).get("rps")
                star = "*" if saturated(s.get((p, w), {})) else ""
                marked = marked or bool(star)
                cells.append("n/a" if v is None else fmt_int(v) + star + ("" if p == BASE else ratio(v, b)))
            lines.append(f"| {p} | " + " | ".join(cells) + " |")
        lines.append("")
        if marked:
            lines.append(f"Marked *: the load generator's core was saturated (wrk's CPU ≥ {CLIENT_SATURATED}% of the run): "
                         "req/s is the client's limit, not the server's; compare server CPU µs/request.")
            lines.append("")
        rate_how = (f"offered open-loop, evenly spaced, over {meta['rate_conns']} connections, latency from when each "
                    "request was due" if "rate_conns" in meta else "offered by h2load --rps")  # results from before RateClient
        lines.append("Cost and latency (plaintext unless named; CPU = server utime+stime ÷ requests; "
                     f"fixed rate = {meta['rate']:,} req/s {rate_how}; errors = non-2xx + socket errors, all workloads; "
                     "RSS = largest after a workload):")
        lines.append("")
        lines.append(f"| peer | CPU µs/req | × bare-loop | CPU µs/req json | p50 ms | p99 ms | p50 / p99 ms @ {meta['rate'] // 1000}k req/s offered "
                     "(achieved req/s) | errors | RSS MiB |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        ceiling_cpu = s.get((CEILING_PEER, "plaintext"), {}).get("cpu_us")
        for p in plain_peers:
            pt = s.get((p, "plaintext"), {})
            js = s.get((p, "json"), {})
            rt = s.get((p, "rate"))
            errors = sum(v.get("errors", 0) for (q, _), v in s.items() if q == p)
            rss = med([max((v["rss_mb"] for (q, _), v in s.items() if q == p), default=None)])
            rate_cell = "n/a" if not rt else f"{fmt(rt['p50_ms'], 3)} / {fmt(rt['p99_ms'], 2)} ({fmt_int(rt['rps'])})"
            cpu_ratio = fmt(pt["cpu_us"] / ceiling_cpu, 2) if pt.get("cpu_us") and ceiling_cpu else "–"
            lines.append(f"| {p} | {fmt(pt.get('cpu_us'))} | {cpu_ratio} | {fmt(js.get('cpu_us'))} | {fmt(pt.get('p50_ms'), 2)} | "
                         f"{fmt(pt.get('p99_ms'), 2)} | {rate_cell} | {fmt_int(errors) if pt else '–'} | {fmt(rss, 0)} |")
        lines.append("")
    idle_by = {r["peer"]: r for r in idle}
    start_by = {r["peer"]: r["result"] for r in startup}
    aot_by = {r["peer"]: r.get("aot") for r in startup}
    held = [p for p in peers if p in idle_by or p in start_by]  # bare-loop runs neither
    if held:
        aot = meta.get("aot", False)  # runs before the AOT column have no such key
        lines.append(f"Idle connections ({meta['idle_n']:,} keep-alive connections, each after one request; heap = used "
                     "Java heap after a full GC, jstat) and startup (process start → first 200, "
                     f"median of {meta['startups']}" + (
                         "; startup AOT: the same with the JDK's AOT cache, -XX:AOTCache, recorded by a training run "
                         "of the peer's workloads (-XX:AOTCacheOutput)" if aot else "") + "):")
        lines.append("")
        lines.append("| peer | connections held | RSS MiB before → with | RSS KiB/conn | heap KiB/conn | burst: served (ms) | startup ms |"
                     + (" startup AOT ms |" if aot else ""))
        lines.append("|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if aot else ""))
        for p in held:
            i = idle_by.get(p)
            st = start_by.get(p)
            if i:
                n = max(i["open_ok"], 1)
                heap = "–" if i["heap0_kb"] is None else fmt((i["heap1_kb"] - i["heap0_kb"]) / n, 2)
                idle_cells = (f"{i['open_ok']:,} | {i['rss0_kb'] / 1024:.0f} → {i['rss1_kb'] / 1024:.0f} | "
                              f"{(i['rss1_kb'] - i['rss0_kb']) / n:.1f} | {heap} | "
                              f"{i['burst_ok']:,}/{i['n']:,} ({i['burst_ms']})")
            else:
                idle_cells = "n/a | | | | "
            aot_cell = ""
            if aot:
                a = aot_by.get(p)
                aot_cell = f" {fmt(a['median_ms'], 0)} |" if a else " – |"
            lines.append(f"| {p} | {idle_cells} | {fmt(st['median_ms'], 0) if st else '–'} |" + aot_cell)
        lines.append("")
    lines.append("All metrics per workload (medians; 'best round' = the highest of the rounds, since other load "
                 "on a shared machine only ever lowers throughput; client CPU = wrk's utime+stime ÷ the run's length: "
                 f"one thread on its own core, so at {CLIENT_SATURATED}% or more the client, not the server, set the req/s; "
                 "the fixed-rate client busy-polls, so it has none):")
    lines.append("")
    lines.append("| peer | workload | req/s | × carafe-server | best round req/s | CPU µs/req | client CPU % | p50 ms | p99 ms "
                 "| errors | RSS MiB |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for p in peers:
        for w in WORKLOADS + ["rate"] + tls_report.TLS_WORKLOADS:
            v = s.get((p, w))
            if not v:
                continue
            b = s.get((BASE, w), {}).get("rps")
            lines.append(f"| {p} | {w if w != 'rate' else 'fixed rate'} | {fmt_int(v['rps'])} | "
                         f"{fmt(v['rps'] / b, 2) if b else '–'} | {fmt_int(v['best_rps'])} | {fmt(v['cpu_us'])} | "
                         f"{fmt(v['client_cpu_pct'], 0)} | {fmt(v['p50_ms'], 2)} | "
                         f"{fmt(v['p99_ms'], 2)} | {fmt_int(v['errors'])} | {fmt(v['rss_mb'], 0)} |")
    rated = [p for p in peers if (p, "rate") in s and s[(p, "rate")].get("offered_rps")]
    if rated:
        lines.append("")
        lines.append("Fixed rate in detail (medians over rounds; achieved = responses that arrived in the measured window ÷ its "
                     "length, below the offered rate when the server falls behind; best p99 = the lowest round, since other "
                     "load only ever adds latency; client lag = how late requests left the client, which grows when the client "
                     "cannot keep up or every connection is busy; client waited = time the client's thread was runnable while "
                     "another task had its core, tens of ms mean other work on the machine spoiled the round; warm-up p99 = "
                     "the discarded runs of the last round, to show whether p99 settled):")
        lines.append("")
        lines.append("| peer | offered req/s | achieved req/s | p50 ms | p99 ms | best p99 ms | p99.9 ms | max ms | client lag p99 ms "
                     "| client waited ms | warm-up p99 ms |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for p in rated:
            v = s[(p, "rate")]
            lines.append(f"| {p} | {fmt_int(v['offered_rps'])} | {fmt_int(v['rps'])} | {fmt(v['p50_ms'], 3)} | {fmt(v['p99_ms'], 2)} | "
                         f"{fmt(v['best_p99_ms'], 2)} | {fmt(v['p999_ms'], 2)} | {fmt(v['max_ms'], 2)} | {fmt(v['lag_p99_ms'], 2)} | "
                         f"{fmt(v['client_wait_ms'], 0)} | {v['warm_p99_ms'] or '–'} |")
    lines += targets(s)
    lines += tls_report.section(meta, s, peers, runs, tls, idle_tls, idle)
    return "\n".join(lines), s, peers


CEILING_PEER = "bare-loop"
FRAMEWORK = "carafe-framework"
# The framework's cost against the raw server and the bare loop (issue 15), as ratios measured in one run,
# so no one compares absolute numbers across days.
TARGETS = [(w, 0.95) for w in ("plaintext", "json", "pipelined")]
MAX_CPU_VS_CEILING = 1.15


def targets(s):
    """Met/missed lines for the framework's targets; those a run did not measure say so."""
    lines = ["", "Targets (ratios within this run):", ""]
    for w, floor in TARGETS:
        f, b = s.get((FRAMEWORK, w), {}).get("rps"), s.get((BASE, w), {}).get("rps")
        if not f or not b:
            lines.append(f"- not measured: {FRAMEWORK} ≥ {floor}× {BASE} req/s on {w}")
            continue
        verdict = "met" if f / b >= floor else "missed"
        lines.append(f"- {verdict}: {FRAMEWORK} ≥ {floor}× {BASE} req/s on {w}: {f / b:.2f}× ({f:,.0f} vs {b:,.0f})")
    f, c = s.get((FRAMEWORK, "plaintext"), {}).get("cpu_us"), s.get((CEILING_PEER, "plaintext"), {}).get("cpu_us")
    if not f or not c:
        lines.append(f"- not measured: {FRAMEWORK} server CPU per request ≤ {MAX_CPU_VS_CEILING}× {CEILING_PEER}'s (plaintext)")
    else:
        verdict = "met" if f / c <= MAX_CPU_VS_CEILING else "missed"
        lines.append(f"- {verdict}: {FRAMEWORK} server CPU per request ≤ {MAX_CPU_VS_CEILING}× {CEILING_PEER}'s (plaintext): "
                     f"{f / c:.2f}× ({f:.1f} vs {c:.1f} µs)")
    return lines


def svg(s, peers, meta):
    """Two rows of small panels: requests/s (longer is better) and server CPU µs per request
    (shorter is better; the steadier number on a shared machine)."""
    panel_w, bar_h, gap, label_w = 210, 14, 4, 120
    ws = [w for w in WORKLOADS if any((p, w) in s for p in peers)]
    block_h = 64 + len(peers) * (bar_h + gap)
    width = label_w + panel_w * len(ws) + 10
    height = 30 + 2 * block_h + 10
    colors = {"carafe-server": "#b5403a", "carafe-framework": "#e07b39", "bare-loop": "#999999"}  # grey: a reference, not a server
    run = "quick run" if meta["mode"] != "full" else "median of %d rounds" % meta["rounds"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    sections = [("rps", f"Requests per second, server on one core ({run}, {meta['date']})",
                 lambda v: f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}"),
                ("cpu_us", "Server CPU µs per request (utime+stime ÷ requests; shorter is better)",
                 lambda v: f"{v:.1f}")]
    for b, (metric, title, label) in enumerate(sections):
        y0 = 30 + b * block_h
        out.append(f'<text x="10" y="{y0 - 8}" font-size="14" font-weight="bold">{title}</text>')
        top = y0 + 28
        for i, p in enumerate(peers):
            y = top + i * (bar_h + gap)
            out.append(f'<text x="{label_w - 6}" y="{y + bar_h - 3}" text-anchor="end">{p}</text>')
        for j, w in enumerate(ws):
            x0 = label_w + j * panel_w
            top_v = max((s[(p, w)][metric] for p in peers if (p, w) in s), default=1) or 1
            name = w if w != "pipelined" else f"pipelined ×{meta['pipe_depth']}"
            out.append(f'<text x="{x0}" y="{top - 8}" font-weight="bold">{name}</text>')
            for i, p in enumerate(peers):
                y = top + i * (bar_h + gap)
                v = s.get((p, w), {}).get(metric)
                if v is None:
                    out.append(f'<text x="{x0}" y="{y + bar_h - 3}" fill="#999">n/a</text>')
                    continue
                bw = max(1, (panel_w - 60) * v / top_v)
                out.append(f'<rect x="{x0}" y="{y}" width="{bw:.1f}" height="{bar_h}" fill="{colors.get(p, "#4a78a8")}"/>')
                out.append(f'<text x="{x0 + bw + 3:.1f}" y="{y + bar_h - 3}">{label(v)}</text>')
    out.append(f'<text x="10" y="{height - 8}" fill="#666">{meta["cpu"]}, {meta["cores"]} cores (shared with other jobs); '
               f'{meta["jdk"].split(" / ")[0]}; wrk -t1 -c{meta["conns"]} on the other core</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def load_note(d):
    """Load average and CPU pressure (PSI) at the start and end: how much else ran on the machine."""
    parts = []
    for when in ("start", "end"):
        f = os.path.join(d, f"load-{when}.txt")
        if not os.path.exists(f):
            continue
        lines = open(f).read().splitlines()
        note = f"load average {' '.join(lines[0].split()[:3])}"
        psi = next((l for l in lines[1:] if l.startswith("some")), None)
        if psi:
            note += f", CPU pressure {psi.split()[2].split('=')[1]}% (avg60)"
        parts.append(f"{when}: {note}")
    elapsed = os.path.join(d, "elapsed-s.txt")
    if os.path.exists(elapsed):
        parts.append(f"measuring took {int(open(elapsed).read()) / 60:.1f} min")
    return ("- other load on the machine (it is shared) — " + "; ".join(parts) + "\n") if parts else ""


def main():
    d = sys.argv[1]
    args = sys.argv[2:]
    docs = args[args.index("--docs") + 1] if "--docs" in args else None
    svg_path = args[args.index("--svg") + 1] if "--svg" in args else None
    meta = json.load(open(os.path.join(d, "meta.json")))
    runs, idle, startup, tls, idle_tls = (load(os.path.join(d, f)) for f in (
        "runs.jsonl", "idle.jsonl", "startup.jsonl", "tls.jsonl", "idle-tls.jsonl"))
    text, s, peers = tables(meta, runs, idle, startup, tls, idle_tls)
    label = {"full": "full run", "dry": "DRY RUN (one request per load run: proves the harness, measures nothing)"}.get(
        meta["mode"], "QUICK RUN (short, one round: indicative only)")
    header = (f"{label}: `{meta['command']}` on {meta['date']}, git {meta['git']}\n\n"
              f"- machine: {meta['cpu']}, {meta['cores']} cores, {meta['mem_mib']:,} MiB, Linux {meta['kernel']}\n"
              f"- JDK: {meta['jdk']}; JVM flags for every Java peer: `{meta['jvm_flags']}`\n"
              f"- load: {meta['wrk']}, `wrk -t1 -c{meta['conns']}` pinned to core 1, server pinned to core 0; "
              f"each server warmed with {meta.get('server_warm_s', 0)} s of plaintext load, then "
              f"{meta['warmups']} discarded warm-up run(s) of {meta['warm_s']} s, then {meta['measure_s']} s measured, "
              f"per workload and round (the fixed-rate run: {meta.get('rate_warmups', 2)} × {meta['warm_s']} s warm-up, "
              f"{meta.get('rate_measure_s', meta['measure_s'])} s measured); {meta['rounds']} round(s) in rotated order\n"
              f"- {meta['nginx']}, Python {meta['python']}\n"
              + (f"- TLS clients: {meta.get('h2load')}, {meta.get('openssl')} (wrk's TLS), TLS 1.3 with "
                 f"{meta.get('tls_suite')} only\n" if meta.get("tls") else "")
              + (f"- {CEILING}\n" if "bare-loop" in peers else "")
              + f"{load_note(d)}")
    open(os.path.join(d, "table.md"), "w").write(header + "\n" + text + "\n")
    print(header)
    print(text)
    if svg_path:
        open(svg_path, "w").write(svg(s, peers, meta))
    if docs:
        block = f"{START}\n{header}\n![Requests per second]({os.path.basename(svg_path)})\n\n{text}\n{END}"
        body = open(docs).read() if os.path.exists(docs) else f"# Benchmarks\n\n{START}\n{END}\n"
        if START in body and END in body:
            body = body[:body.index(START)] + block + body[body.index(END) + len(END):]
        else:
            body += "\n" + block + "\n"
        open(docs, "w").write(body)
        print(f"\nwrote {docs} and {svg_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
