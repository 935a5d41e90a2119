"""Benchmark peer: a bare ASGI app on uvicorn (uvloop + httptools when installed), one worker.

A Python anchor: no framework, so routes are matched by hand and JSON comes from the json module.
    /usr/bin/python3 bench/peers-py/uvicorn_app.py --port 8080
"""
import json
import re
import sys
import zlib

import uvicorn

ROUTE = re.compile(r"^/r([0-9]{1,2})/([^/]+)$")


async def send_text(send, status, body, content_type=b"text/plain"):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path == "/plaintext":
        await send_text(send, 200, b"Hello, World!")
    elif path == "/json":
        await send_text(send, 200, json.dumps({"message": "Hello, World!"}).encode(), b"application/json")
    elif path == "/post":
        crc, more = 0, True
        while more:
            msg = await receive()
            crc = zlib.crc32(msg.get("body", b""), crc)
            more = msg.get("more_body", False)
        await send_text(send, 200, b"%08x" % crc)
    else:
        m = ROUTE.match(path)
        if m and int(m.group(1)) < 100:
            await send_text(send, 200, f"r{int(m.group(1))}:{m.group(2)}".encode())
        else:
            await send_text(send, 404, b"Not Found")


if __name__ == "__main__":
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 8080
    print(f"Running on http://127.0.0.1:{port}", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
