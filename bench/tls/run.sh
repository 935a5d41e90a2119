#!/usr/bin/env bash
# TLS memory: (1) heap per idle keep-alive connection, plain HTTP and TLS: a server JVM (-Xmx512m)
# and a client JVM that opens N connections, sends one request on each and holds them; the
# server's heap after System.gc() with them open, minus the heap before (after 300 warm-up
# connections came and went). (2) Bytes the TLS server allocates per keep-alive request, 2,000
# requests on one curl connection, three rounds. Not a load test: one client, one connection at a time.
# Usage: bench/tls/run.sh [N=5000]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-5000}"
cd "$root"
./carafe mvn -q -DskipTests -DskipBench -pl carafe-server -am compile
jdk="$(./carafe jdk)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$jdk/bin/javac" -d "$work/classes" -cp carafe-server/target/classes bench/tls/HeapServer.java bench/tls/HeapClient.java bench/tls/AllocPerRequest.java
for mode in plain tls; do
  python3 bench/tls/drive.py "$jdk" carafe-server/target/classes "$mode" "$n" "$work/cert" "$work/classes"
done
"$jdk/bin/java" -cp "carafe-server/target/classes:$work/classes" AllocPerRequest 2000 "$work/cert"
