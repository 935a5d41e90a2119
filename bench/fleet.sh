#!/usr/bin/env bash
# bench/fleet.sh: Carafe instances behind nginx (issue 14), beside Javalin behind the same nginx.
#
#  1. Throughput of /plaintext through nginx to 1, 2 and 3 instances of the carafe-framework peer,
#     as ratios to one instance reached directly (wrk, 64 connections, keep-alive to nginx and from
#     nginx to the instances).
#  2. A rolling restart under load: 3 instances behind nginx, each stopped with SIGTERM and started
#     again on its port, one after the other, twice, while wrk keeps 32 connections busy. Reported:
#     failed requests (non-2xx/3xx plus socket errors, as wrk counts them) and wrk's p99 latency,
#     for the Carafe peer (DRAIN_DELAY=1s) and for the Javalin peer (its own shutdown).
#
# Prints a Markdown table for docs/benchmarks.md. Loopback only. Needs wrk and nginx (bench/run
# installs both). Usage: bench/fleet.sh [seconds per throughput run, default 5]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
SECS="${1:-5}"
command -v wrk >/dev/null || { echo "bench/fleet.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "bench/fleet.sh: nginx is missing (apt-get install nginx)" >&2; exit 1; }

"$root/carafe" mvn -q -DskipTests package -pl bench/peers/carafe-framework,bench/peers/javalin -am
JAVA="$("$root/carafe" jdk)/bin/java"
out="$(mktemp -d /tmp/carafe-fleet.XXXXXX)"
NGINX_PORT=18080
PORTS=(18081 18082 18083)
declare -a PIDS=()
NGINX_PID=

log() { printf '\033[1m[fleet %s]\033[0m %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
}
trap cleanup EXIT

wait_for() { # URL
  for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "bench/fleet.sh: $1 never answered" >&2; exit 1
}

start_peer() { # NAME INDEX
  local name="$1" i="$2"
  CARAFE_DRAIN_DELAY=1s CARAFE_SHUTDOWN_GRACE_SECONDS=5 \
    "$JAVA" -Xms256m -Xmx256m -XX:+UseSerialGC -jar "$bench/peers/$name/target/peer-$name.jar" --port "${PORTS[$i]}" \
    >>"$out/$name-$i.log" 2>&1 &
  PIDS[$i]=$!
  wait_for "http://127.0.0.1:${PORTS[$i]}/plaintext"
}

stop_peer() { # INDEX: SIGTERM, then wait for the process to end
  local pid="${PIDS[$1]}"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  PIDS[$1]=
}

start_nginx() { # N: nginx in front of the first N ports
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  mkdir -p "$out/nginx"
  {
    [ "$(id -u)" = 0 ] && echo "user root;"
    echo "pid $out/nginx/nginx.pid; daemon off; worker_processes 1; error_log $out/nginx/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $out/nginx/body; proxy_temp_path $out/nginx/proxy;"
    echo "  fastcgi_temp_path $out/nginx/fastcgi; uwsgi_temp_path $out/nginx/uwsgi; scgi_temp_path $out/nginx/scgi;"
    echo "  keepalive_requests 1000000;"
    echo "  upstream app {"
    for i in $(seq 0 $(($1 - 1))); do echo "    server 127.0.0.1:${PORTS[$i]} max_fails=1 fail_timeout=1s;"; done
    echo "    keepalive 64; keepalive_timeout 20s; }"
    echo "  server { listen 127.0.0.1:$NGINX_PORT backlog=1024;"
    echo "    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "      proxy_connect_timeout 1s; } } }"
  } > "$out/nginx/nginx.conf"
  "$NGINX" -p "$out/nginx" -c "$out/nginx/nginx.conf" &
  NGINX_PID=$!
  wait_for "http://127.0.0.1:$NGINX_PORT/plaintext"
}

rps() { # URL: requests per second of one wrk run
  wrk -t1 -c64 -d"${SECS}s" "$1" | awk '/^Requests\/sec/ {print $2}'
}

# ---- 1. throughput -----------------------------------------------------------------------------
log "throughput, carafe-framework: direct, then through nginx to 1, 2, 3 instances"
for i in 0 1 2; do start_peer carafe-framework "$i"; done
wrk -t1 -c64 -d2s "http://127.0.0.1:${PORTS[0]}/plaintext" >/dev/null   # JIT warm-up
direct=$(rps "http://127.0.0.1:${PORTS[0]}/plaintext")
declare -A via
for n in 1 2 3; do
  start_nginx "$n"
  wrk -t1 -c64 -d1s "http://127.0.0.1:$NGINX_PORT/plaintext" >/dev/null
  via[$n]=$(rps "http://127.0.0.1:$NGINX_PORT/plaintext")
done
for i in 0 1 2; do stop_peer "$i"; done

# ---- 2. rolling restart --------------------------------------------------------------------------
rolling() { # NAME: prints "failed p99"
  local name="$1"
  for i in 0 1 2; do start_peer "$name" "$i"; done
  start_nginx 3
  wrk -t1 -c32 -d2s "http://127.0.0.1:$NGINX_PORT/plaintext" >/dev/null
  wrk -t1 -c32 -d40s --timeout 5s --latency "http://127.0.0.1:$NGINX_PORT/plaintext" > "$out/$name-rolling.txt" &
  local wrk_pid=$!
  sleep 2
  for round in 1 2; do
    for i in 0 1 2; do
      log "$name: round $round, restarting instance $i"
      stop_peer "$i"
      start_peer "$name" "$i"
      sleep 1.2   # nginx's fail_timeout: the instance is back in rotation
    done
  done
  wait "$wrk_pid"
  for i in 0 1 2; do stop_peer "$i"; done
  local non2xx socket p99
  non2xx=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$out/$name-rolling.txt")
  socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out/$name-rolling.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$out/$name-rolling.txt")
  echo "$(( ${non2xx:-0} + ${socket:-0} )) ${p99:-?}"
}
log "rolling restart, carafe-framework"
rolling carafe-framework > "$out/carafe.result"   # not $(...): the function must run in this shell, which tracks the pids
read -r carafe_failed carafe_p99 < "$out/carafe.result"
log "rolling restart, javalin"
rolling javalin > "$out/javalin.result"
read -r javalin_failed javalin_p99 < "$out/javalin.result"

ratio() { awk -v a="$1" -v b="$direct" 'BEGIN {printf "%.2f", a / b}'; }
cat <<TABLE

| /plaintext, 64 connections | requests/s | ratio to one instance direct |
|---|---:|---:|
| 1 instance, direct | $direct | 1.00 |
| nginx → 1 instance | ${via[1]} | $(ratio "${via[1]}") |
| nginx → 2 instances | ${via[2]} | $(ratio "${via[2]}") |
| nginx → 3 instances | ${via[3]} | $(ratio "${via[3]}") |

| rolling restart (3 instances, 2 rounds, 32 connections, 40 s) | failed requests | p99 |
|---|---:|---:|
| Carafe (DRAIN_DELAY=1s) | $carafe_failed | $carafe_p99 |
| Javalin | $javalin_failed | $javalin_p99 |

(raw output in $out)
TABLE
