# Sourced by bench/run: the TLS workloads' certificate, clients and per-peer passes. Uses bench/run's
# globals (out, bench, PY, JAVA, TOOLS_CP, CONNS, WARMUPS, ...) and functions (start_peer, wrk_run, ...).

# One certificate per run: EC P-256, self-signed for localhost and 127.0.0.1, PKCS#8 key (what
# openssl 3 writes). The Java tools trust exactly this certificate; wrk and h2load do not verify.
# CLIENT_OPENSSL_CONF limits wrk (which has no cipher option) to TLS_SUITE; it is given to the
# clients only, never to nginx.
TLS_CERT="" TLS_KEY="" CLIENT_OPENSSL_CONF=""
make_tls_files() {
  command -v openssl >/dev/null || return 1
  mkdir -p "$out/tls"
  TLS_CERT="$out/tls/cert.pem" TLS_KEY="$out/tls/key.pem" CLIENT_OPENSSL_CONF="$out/tls/client-openssl.cnf"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$TLS_KEY" -out "$TLS_CERT" 2>/dev/null
  chmod 644 "$TLS_KEY"   # nginx's worker may run as another user; the key is a throwaway for this run
  printf '%s\n' 'openssl_conf = openssl_init' '[openssl_init]' 'ssl_conf = ssl_sect' '[ssl_sect]' \
    'system_default = system_default_sect' '[system_default_sect]' "Ciphersuites = $TLS_SUITE" > "$CLIENT_OPENSSL_CONF"
}

# h2 over TLS: h2load, H2_CONNS connections with H2_STREAMS streams each, one thread on core 1,
# ALPN offering h2 only, so a peer that does not select h2 gets no HTTP/1.1 fallback: its run has
# alpn null and 0 requests, and the report shows n/a. Same extra fields as wrk_run.
h2_run() { # port seconds
  local port="$1" secs="$2" t0 t1 raw line client load=()
  load=(-c"$H2_CONNS" -m"$H2_STREAMS" -D"$secs")
  [ "$mode" = dry ] && load=(-c1 -m1 -n1)
  t0=$(cpu_ticks)
  raw=$(taskset -c 1 h2load -t1 "${load[@]}" --npn-list=h2 --tls13-ciphers="$TLS_SUITE" \
    "https://127.0.0.1:$port/plaintext" 2>&1; child_ticks)
  t1=$(cpu_ticks)
  line=$(grep -v '^CHILD_TICKS ' <<<"$raw" | "$PY" "$bench/lib/h2load.py")
  client=$(sed -n 's/^CHILD_TICKS //p' <<<"$raw")
  echo "${line%\}},\"cpu_ticks\":$((t1 - t0)),\"client_cpu_ticks\":${client:-null},\"tck\":$TCK,\"rss_kb\":$(rss_kb)}"
}

# One request by h2load offering h2 and http/1.1: what the peer's handshake gives (TLS version,
# cipher, key exchange, ALPN), kept in tls.jsonl. The h2 workload runs only where alpn is h2.
tls_probe() { # port -> one JSON object
  timeout 20 h2load -n1 -c1 --npn-list=h2,http/1.1 --tls13-ciphers="$TLS_SUITE" "https://127.0.0.1:$1/plaintext" 2>&1 |
    "$PY" "$bench/lib/h2load.py"
}
json_field() { "$PY" -c 'import json, sys; v = json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }

# The TLS mode: one HTTPS HTTP/1.1 request and one offering h2 (TlsCheck), two idle HTTPS
# connections by the idle client, then one request each by wrk over https and by h2load over h2
# when they are installed.
smoke_tls() { # name kind port -> 0 when every check passed
  local name="$1" kind="$2" port_base="$3" failed=0 expect=() notes="" tls_out="" alpn once one idle
  [[ "$H2_PEERS" == *" $name "* ]] && expect=(--expect-h2)
  PEER_TLS=1
  if start_peer "$name" "$kind" "$port_base" &&
     tls_out=$("$JAVA" -cp "$TOOLS_CP" dev.carafe.bench.tools.TlsCheck 127.0.0.1 "$port_base" "$TLS_CERT" "${expect[@]}"); then
    alpn=$(sed -n 's/^ALPN //p' <<<"$tls_out")
    if command -v wrk >/dev/null; then
      once=$(OPENSSL_CONF="$CLIENT_OPENSSL_CONF" wrk -t1 -c1 -d1s -s "$bench/lib/wrk/once.lua" "https://127.0.0.1:$port_base/plaintext" | sed -n 's/^BENCHJSON //p')
      if [ -n "$once" ] && [ "$(json_field "$once" requests)" -ge 1 ] && [ "$(json_field "$once" status)" = 0 ]; then notes+=", wrk https ok"
      else log "smoke FAILED: $name over TLS: wrk over https got ${once:-nothing}"; failed=1; fi
    fi
    if command -v h2load >/dev/null && [ "$alpn" = h2 ]; then
      one=$(h2load -n1 -c1 --npn-list=h2 --tls13-ciphers="$TLS_SUITE" "https://127.0.0.1:$port_base/plaintext" 2>&1 | "$PY" "$bench/lib/h2load.py")
      if [ "$(json_field "$one" alpn)" = h2 ] && [ "$(json_field "$one" requests)" = 1 ]; then notes+=", h2load h2 ok"
      else log "smoke FAILED: $name over TLS: h2load over h2 got $one"; failed=1; fi
    fi
    idle=$(echo go | "$JAVA" -cp "$TOOLS_CP" dev.carafe.bench.tools.IdleClient 127.0.0.1 "$port_base" 2 --tls "$TLS_CERT" | paste -sd' ')
    if [ "$idle" = "OPEN ok=2 failed=0 BURST ok=2 failed=0 ms=${idle##*ms=}" ]; then notes+=", idle client ok"
    else log "smoke FAILED: $name over TLS: IdleClient --tls printed '$idle'"; failed=1; fi
    [ "$failed" = 0 ] && log "smoke ok: $name over TLS (ALPN offering h2 gave $alpn$notes)"
  else
    log "smoke FAILED: $name over TLS: ${tls_out:-}"; failed=1
  fi
  PEER_TLS=""
  stop_peer
  return "$failed"
}

# The same peer in its TLS mode, a process of its own: HTTPS HTTP/1.1 by wrk, then h2 by h2load
# if (and only if) its ALPN selects h2.
tls_round() { # name kind port round spec -> records in runs.jsonl and tls.jsonl
  local name="$1" kind="$2" port="$3" round="$4" spec="$5" probe alpn w res
  log "round $round/$ROUNDS: $name over TLS"
  PEER_TLS=1
  if start_peer "$name" "$kind" "$port"; then
    probe=$(tls_probe "$port")
    echo "{\"peer\":\"$name\",\"round\":$round,\"handshake\":$probe}" >> "$out/tls.jsonl"
    alpn=$(json_field "$probe" alpn)
    warm_wrk https "$port" "$SERVER_WARM_S"
    for w in $(peer_workloads "$spec"); do
      case "$w" in
        tls-plaintext)
          for _ in $(seq "$WARMUPS"); do wrk_run "$w" "$port" "$WARM_S" >/dev/null; done
          res=$(wrk_run "$w" "$port" "$MEASURE_S") ;;
        h2)
          if [ "$alpn" != h2 ]; then
            log "h2: $name's ALPN selected ${alpn:-nothing}, not h2: n/a"
            res="{\"alpn\":\"${alpn:-none}\",\"requests\":0}"
          else
            for _ in $(seq "$WARMUPS"); do h2_run "$port" "$WARM_S" >/dev/null; done
            res=$(h2_run "$port" "$MEASURE_S")
          fi ;;
        *) continue ;;
      esac
      record "{\"peer\":\"$name\",\"workload\":\"$w\",\"round\":$round,\"result\":$res}"
    done
  fi
  stop_peer
  PEER_TLS=""
}
