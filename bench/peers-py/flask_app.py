"""Benchmark peer: Flask on its development server (Werkzeug), threaded, request log off.

A Python anchor, not a production setup. Werkzeug's dev server closes the connection after every
response (Connection: close, by design), so under load each request pays a new TCP connection.
    /usr/bin/python3 bench/peers-py/flask_app.py --port 8080
"""
import logging
import sys
import zlib

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.get("/plaintext")
def plaintext():
    return Response("Hello, World!", content_type="text/plain")


@app.get("/json")
def json():
    return jsonify(message="Hello, World!")


@app.post("/post")
def post():
    return Response("%08x" % zlib.crc32(request.get_data()), content_type="text/plain")


def make_route(name):
    def route(id):
        return Response(f"{name}:{id}", content_type="text/plain")
    return route


for i in range(100):
    app.add_url_rule(f"/r{i}/<id>", f"r{i}", make_route(f"r{i}"))

if __name__ == "__main__":
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 8080
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    print(f"Running on http://127.0.0.1:{port}", flush=True)
    app.run(host="127.0.0.1", port=port, threaded=True)
