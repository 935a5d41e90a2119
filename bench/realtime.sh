#!/usr/bin/env bash
# Bounded realtime load: N SSE clients and M WebSocket echo clients against examples/chat, with the
# server's memory measured while they are all connected. Results go to bench/results/realtime-*.txt.
# Usage: bench/realtime.sh [SSE_CLIENTS=10000] [WS_CLIENTS=1000] [WS_MESSAGES=20] [HEAP=512m]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sse="${1:-10000}" ws="${2:-1000}" msgs="${3:-20}" heap="${4:-512m}"
cd "$root"
[ -f examples/chat/target/chat.jar ] || ./carafe mvn -q -DskipTests -pl examples/chat -am package
[ -d examples/chat/e2e/node_modules/ws ] || (cd examples/chat/e2e && npm ci --no-audit --no-fund --loglevel=error)
java="$(./carafe jdk)/bin/java"
port=$((20000 + RANDOM % 10000))
mkdir -p bench/results
out="bench/results/realtime-$(date -u +%Y%m%dT%H%M%SZ).txt"
CARAFE_ACCESS_LOG=false "$java" -Xmx"$heap" -jar examples/chat/target/chat.jar --port "$port" > "$out.server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$pause".*' EXIT
for _ in $(seq 100); do grep -q "Running on" "$out.server.log" && break; sleep 0.1; done
pause="$(mktemp -u /tmp/carafe-bench-XXXX)"

memory() { # RSS, and the heap in use after a full GC
  local rss heap
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  "$(dirname "$java")/jcmd" "$server" GC.run > /dev/null
  heap=$("$(dirname "$java")/jcmd" "$server" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}')
  echo "$1: rss=$((rss / 1024))MiB heap_used_after_gc=$heap threads=$(ls /proc/$server/task | wc -l)"
}

{
  echo "sse=$sse ws=$ws msgs=$msgs heap=$heap jdk=$("$java" -version 2>&1 | head -1) cpus=$(nproc)"
  memory "idle"
} | tee "$out"
PAUSE_FILE="$pause" node bench/realtime-load.mjs "http://127.0.0.1:$port" "$sse" "$ws" "$msgs" > "$out.json" &
client=$!
while [ ! -e "$pause.ready" ]; do sleep 0.2; kill -0 $client 2>/dev/null || break; done
memory "with $sse SSE clients connected" | tee -a "$out"
touch "$pause.go"
while [ ! -e "$pause.ws" ]; do sleep 0.2; kill -0 $client 2>/dev/null || break; done
memory "with $sse SSE + $ws WebSocket clients connected" | tee -a "$out"
touch "$pause.done"
wait $client && status=0 || status=$?
cat "$out.json" | tee -a "$out"
exit $status
