#!/usr/bin/env bash
# The soak (docs/hardening.md): a framework app in a JVM of its own under a steady mixed load
# (plaintext, JSON, uploads, SSE, WebSocket), failing on any error or when its heap after GC,
# fds or threads did not come back to where they were.
#
#   bench/soak.sh                           10 minutes (the documented soak)
#   bench/soak.sh --seconds 60              what CI runs (SoakTest in ./carafe test)
#   bench/soak.sh --seconds 600 --rate 300  more HTTP requests a second (default 150)
#
# Output: a sample line every tenth of the run; the server's log in bench/soak/target/soak/server.log.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=600 rate=150
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --rate) rate="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/soak.sh: unknown option $1 (--seconds N, --rate R)" >&2; exit 1 ;;
  esac
  shift
done
exec "$root/carafe" mvn -q -pl bench/soak -am test -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.seconds="$seconds" -Dsoak.rate="$rate"
