#!/usr/bin/env bash
# Writes an nginx.conf for the machine-ceiling row: bench/lib/nginx.sh DIR PORT [CERT KEY] > DIR/nginx.conf
# One worker, access log off, keep-alive requests practically unlimited, the same endpoints as
# the other peers as `return` directives: /plaintext, /json (a fixed string: nginx has no JSON),
# 100 regex locations for /r{i}/{id} (nginx tries regex locations in order, like a router).
# nginx cannot compute a body's CRC32, so bench/run does not run the post workload on it.
# With CERT and KEY (PEM files) the port serves HTTPS instead, ALPN offering h2 and http/1.1
# (nginx 1.22's `listen ... ssl http2`), TLS 1.2 and 1.3 like the Java peers.
set -euo pipefail
dir="$1" port="$2" cert="${3:-}" key="${4:-}"
listen="listen 127.0.0.1:$port backlog=1024;"
if [ -n "$cert" ]; then
  listen="listen 127.0.0.1:$port ssl http2 backlog=1024;
    ssl_certificate $cert;
    ssl_certificate_key $key;
    ssl_protocols TLSv1.2 TLSv1.3;"
fi
echo "pid $dir/nginx.pid;"
[ "$(id -u)" = 0 ] && echo "user root;"
cat <<CONF
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
error_log stderr warn;
events { worker_connections 20000; multi_accept on; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server_tokens off;
  server {
    $listen
    location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
    location = /json { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
CONF
for i in $(seq 0 99); do
  echo "    location ~ ^/r$i/([^/]+)\$ { default_type text/plain; return 200 \"r$i:\$1\"; }"
done
cat <<CONF
  }
}
CONF
