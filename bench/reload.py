#!/usr/bin/env python3
"""Reload latency: save -> first response with the new code, with a client sending requests all the while.

Measures Carafe debug mode (in-process compile + class-loader swap) against Flask's debug reloader
(Werkzeug + watchdog) and uvicorn --reload, on the same machine in the same run. For Carafe it also
runs many consecutive reloads and reports heap and metaspace after GC (old generations must be
collected), and the supervisor's idle CPU while watching the source tree.

Usage: bench/reload.py [--edits N] [--reloads N] [--example todo|hello] [--only carafe|flask|uvicorn]
Prints a Markdown table; bench/run and docs/benchmarks.md use it.
"""
import argparse, http.client, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM_PY = "/usr/bin/python3"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def get(port, path="/", timeout=5):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        # headers too: an edit may show in a header (X-Edit) rather than the page
        return r.status, r.read().decode("utf-8", "replace") + "\n" + str(r.getheaders())
    finally:
        c.close()


def wait_ready(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: %s" % proc.returncode)
        try:
            get(port, "/", timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server not ready")


class Hammer(threading.Thread):
    """Sends requests back to back; counts successes and failures (refused, reset, 5xx)."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.port, self.path, self.ok, self.failed, self.running = port, path, 0, 0, True
        self.errors = []

    def run(self):
        while self.running:
            try:
                status, _ = get(self.port, self.path)
                if status < 500:
                    self.ok += 1
                else:
                    self.failed += 1
                    self.errors.append(status)
            except (OSError, http.client.HTTPException) as e:
                self.failed += 1
                self.errors.append(repr(e))
            time.sleep(0.002)


def measure(port, edit, marker_for, edits):
    """Applies `edits` edits; returns the save->new-response latencies in ms."""
    latencies = []
    for i in range(edits):
        marker = marker_for(i)
        t0 = time.perf_counter()
        edit(marker)
        while True:
            try:
                _, body = get(port)
                if marker in body:
                    break
            except (OSError, http.client.HTTPException):
                pass
            if time.perf_counter() - t0 > 30:
                raise RuntimeError("edit %d never showed up" % i)
        latencies.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.3)
    return latencies


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def carafe(args):
    example = args.example
    jar = os.path.join(ROOT, "examples", example, "target", example + ".jar")
    if not os.path.exists(jar):
        subprocess.run([os.path.join(ROOT, "carafe"), "mvn", "-q", "-DskipTests", "-pl", "examples/" + example, "-am",
                        "package"], check=True)
    work = tempfile.mkdtemp(prefix="carafe-reload-")
    shutil.copytree(os.path.join(ROOT, "examples", example, "src"), os.path.join(work, "src"))
    shutil.copy(jar, work)
    java = os.path.join(subprocess.check_output([os.path.join(ROOT, "carafe"), "jdk"], text=True).strip(), "bin", "java")
    port = free_port()
    proc = subprocess.Popen([java, "-Xmx256m", "-jar", example + ".jar", "--debug", "--port", str(port)], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, proc)
        handler, original, template = EDITS[example]
        handler = os.path.join(work, handler)
        text = open(handler).read()
        assert original in text, "the edit point moved: " + original
        def edit(marker):
            with open(handler, "w") as f:
                f.write(text.replace(original, template % marker, 1))
        time.sleep(2)  # let the background warm-up compile finish, as a developer's first save would
        hammer = Hammer(port, "/")
        hammer.start()
        lat = measure(port, edit, lambda i: "Edit number %d" % i, args.edits)
        hammer.running = False
        hammer.join()
        # many reloads, then memory after GC
        status0 = json.loads(get(port, "/__carafe/status")[1].split("\n")[0])
        for i in range(args.reloads):
            edit("Reload number %d" % i)
            while "Reload number %d" % i not in get(port)[1]:
                time.sleep(0.01)
        time.sleep(3)
        status1 = json.loads(get(port, "/__carafe/status")[1].split("\n")[0])
        # idle CPU of the supervisor (watcher included) over 10 s
        c0, t0 = cpu_seconds(proc.pid), time.time()
        time.sleep(10)
        idle = (cpu_seconds(proc.pid) - c0) / (time.time() - t0) * 100
        return {"name": "Carafe (--debug, %s)" % example, "lat": lat, "ok": hammer.ok, "failed": hammer.failed,
                "errors": hammer.errors[:5], "status0": status0, "status1": status1, "idle_cpu": idle}
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)


# Per example: the handler file edited on each save, the text replaced, and its replacement.
EDITS = {
    "hello": ("src/main/java/dev/carafe/examples/hello/Hello.java", '"Hello, world!"', '"%s"'),
    "todo": ("src/main/java/dev/carafe/examples/todo/Pages.java", 'return ctx.render("index.html", model);',
             'return ctx.render("index.html", model).header("X-Edit", "%s");'),
}


FLASK_APP = '''from flask import Flask
app = Flask(__name__)

@app.route("/")
def index():
    return "MARKER"
'''

ASGI_APP = '''async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"MARKER"})
'''


def python_peer(name, source, command, args):
    work = tempfile.mkdtemp(prefix="reload-%s-" % name)
    path = os.path.join(work, "app.py")
    with open(path, "w") as f:
        f.write(source.replace("MARKER", "Hello"))
    port = free_port()
    proc = subprocess.Popen([c.replace("PORT", str(port)) for c in command], cwd=work, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, proc)
        time.sleep(1)
        def edit(marker):
            with open(path, "w") as f:
                f.write(source.replace("MARKER", marker))
        hammer = Hammer(port, "/")
        hammer.start()
        lat = measure(port, edit, lambda i: "Edit number %d" % i, args.edits)
        hammer.running = False
        hammer.join()
        return {"name": name, "lat": lat, "ok": hammer.ok, "failed": hammer.failed, "errors": hammer.errors[:5]}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


def ensure_python_peers():
    missing = [p for p in ("python3-flask", "python3-uvicorn", "python3-watchdog")
               if subprocess.run(["dpkg", "-s", p], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode]
    if missing:
        subprocess.run(["apt-get", "install", "-y", "-qq"] + missing, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--reloads", type=int, default=200)
    ap.add_argument("--example", default="todo" if os.path.isdir(os.path.join(ROOT, "examples", "todo")) else "hello")
    ap.add_argument("--only")
    args = ap.parse_args()
    results = []
    if args.only in (None, "carafe"):
        results.append(carafe(args))
    if args.only in (None, "flask", "uvicorn"):
        ensure_python_peers()
    if args.only in (None, "flask"):
        results.append(python_peer("Flask 2.2 (--debug, watchdog)", FLASK_APP,
                                   [SYSTEM_PY, "-m", "flask", "--app", "app", "--debug", "run", "--port", "PORT"], args))
    if args.only in (None, "uvicorn"):
        results.append(python_peer("uvicorn --reload", ASGI_APP,
                                   [SYSTEM_PY, "-m", "uvicorn", "app:app", "--reload", "--port", "PORT"], args))
    print("| server | median save→response (ms) | p90 (ms) | max (ms) | requests during edits | failed |")
    print("|---|---|---|---|---|---|")
    for r in results:
        lat = sorted(r["lat"])
        p90 = lat[min(len(lat) - 1, int(len(lat) * 0.9))]
        print("| %s | %.0f | %.0f | %.0f | %d | %d |" % (r["name"], statistics.median(lat), p90, lat[-1], r["ok"] + r["failed"],
                                                      r["failed"]))
    for r in results:
        if r.get("errors"):
            print("\n%s errors: %s" % (r["name"], r["errors"]))
        if "status1" in r:
            s0, s1 = r["status0"], r["status1"]
            print("\nCarafe after %d more reloads (generation %d → %d): heap after GC %.1f → %.1f MB, metaspace %.1f → %.1f MB, "
                  "retired generations still in memory: %d; supervisor idle CPU while watching: %.2f%% of a core"
                  % (args.reloads, s0["generation"], s1["generation"], s0["heapUsed"] / 1e6, s1["heapUsed"] / 1e6,
                     s0["metaspaceUsed"] / 1e6, s1["metaspaceUsed"] / 1e6, s1["liveRetiredGenerations"], r["idle_cpu"]))


if __name__ == "__main__":
    main()
