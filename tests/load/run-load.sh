#!/usr/bin/env bash
# Load run for the node's Speed target: one RaftBalancer node (state: local) forwarding to 3 demo backends, versus a
# bare config-based YARP proxy (tests/RaftBalancer.LoadBaseline) over the same backends, versus one backend hit
# directly -- in the same run, alternating targets round by round. Loopback (127.0.0.1) only; bounded in time;
# every process it starts is stopped by PID on exit.
#
#   tests/load/run-load.sh                       # 3 rounds, wrk -c32 -d10s, pinned (see PIN)
#   ROUNDS=5 DURATION=15s CONNECTIONS=64 tests/load/run-load.sh
#   PIN=0 THREADS=2 tests/load/run-load.sh       # no CPU pinning
#   NO_BUILD=1 tests/load/run-load.sh            # use existing Release binaries
#   COMPARE=metrics tests/load/run-load.sh       # node with metrics on (ops listener, exporter, scraped each round)
#                                                # versus the same node with metrics off, interleaved round by round
#   COMPARE=before BEFORE_NODE_DLL=/path/to/old/RaftBalancer.Node.dll tests/load/run-load.sh
#                                                # this tree's node versus another build of it (for example a worktree
#                                                # of an older commit), same config, interleaved round by round
#
# PIN=1 (default, needs >= 2 CPUs and taskset): the servers (proxy under test + the 3 backends) run on CPU 0 and wrk
# on CPU 1, so the load generator does not steal the proxy's CPU; both proxies get the same single core.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIGURATION="${CONFIGURATION:-Release}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-3s}"
CONNECTIONS="${CONNECTIONS:-32}"
PIN="${PIN:-1}"
THREADS="${THREADS:-$([ "$PIN" = 1 ] && echo 1 || echo 2)}"
PATH_UNDER_TEST="${PATH_UNDER_TEST:-/load}"

command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "PIN=1 needs taskset; run with PIN=0" >&2; exit 1; }
  [ "$(nproc)" -ge 2 ] || { echo "PIN=1 needs 2 CPUs; run with PIN=0" >&2; exit 1; }
  SERVER_CPU=(taskset -c 0)
  CLIENT_CPU=(taskset -c 1)
else
  SERVER_CPU=()
  CLIENT_CPU=()
fi

WORK="$(mktemp -d /tmp/rb-load.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

if [ "${NO_BUILD:-0}" != 1 ]; then
  echo "building ($CONFIGURATION)..."
  for p in src/RaftBalancer.Node src/RaftBalancer.DemoBackend tests/RaftBalancer.LoadBaseline; do
    dotnet build "$ROOT/$p" -c "$CONFIGURATION" --nologo -v quiet >/dev/null
  done
fi
BIN() { echo "$ROOT/$1/bin/$CONFIGURATION/net10.0/$2.dll"; }
NODE_DLL="$(BIN src/RaftBalancer.Node RaftBalancer.Node)"
BACKEND_DLL="$(BIN src/RaftBalancer.DemoBackend RaftBalancer.DemoBackend)"
YARP_DLL="$(BIN tests/RaftBalancer.LoadBaseline RaftBalancer.LoadBaseline)"

start() { # name, command...
  local name="$1"; shift
  "${SERVER_CPU[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=("$!")
}

wait_ok() { # url
  local deadline=$((SECONDS + 60))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1")" = 200 ]; do
    [ $SECONDS -lt $deadline ] || { echo "no 200 from $1 within 60 s; logs in $WORK" >&2; cat "$WORK"/*.log >&2; exit 1; }
    sleep 0.2
  done
}

BACKENDS=()
BACKEND_JSON=""
for m in 1 2 3; do
  port="$(free_port)"
  start "b$m" dotnet "$BACKEND_DLL" --id "b$m" --urls "http://127.0.0.1:$port"
  BACKENDS+=("http://127.0.0.1:$port")
  BACKEND_JSON+="${BACKEND_JSON:+,}{\"Id\":\"b$m\",\"Url\":\"http://127.0.0.1:$port\",\"Weight\":1}"
done

NODE_PORT="$(free_port)"; ADMIN_PORT="$(free_port)"; YARP_PORT="$(free_port)"
cat >"$WORK/node.json" <<JSON
{
  "Node": {
    "Id": "node-1",
    "ProxyUrl": "http://127.0.0.1:$NODE_PORT",
    "AdminUrl": "http://127.0.0.1:$ADMIN_PORT",
    "StateStore": "local",
    "Policy": "round-robin",
    "Backends": [$BACKEND_JSON]
  },
  "Logging": { "LogLevel": { "Default": "Warning" } }
}
JSON
start node dotnet "$NODE_DLL" --config "$WORK/node.json"
COMPARE="${COMPARE:-yarp}"
PAIR=0
if [ "$COMPARE" = metrics ]; then
  # The same node again with its ops listener: the OpenTelemetry SDK aggregates every request, /metrics is scraped
  # once a round. The first node (no Node:OpsUrl) has no meter provider: metrics off.
  PAIR=1; A=on; B=off
  ON_PORT="$(free_port)"; ON_ADMIN="$(free_port)"; OPS_PORT="$(free_port)"
  sed -e "s|127.0.0.1:$NODE_PORT|127.0.0.1:$ON_PORT|" -e "s|127.0.0.1:$ADMIN_PORT\",|127.0.0.1:$ON_ADMIN\", \"OpsUrl\": \"http://127.0.0.1:$OPS_PORT\",|" \
    "$WORK/node.json" >"$WORK/node-metrics.json"
  start node_metrics dotnet "$NODE_DLL" --config "$WORK/node-metrics.json"
  A_URL="http://127.0.0.1:$ON_PORT"
  OPS_URL="http://127.0.0.1:$OPS_PORT"
elif [ "$COMPARE" = before ]; then
  # Another build of the node (BEFORE_NODE_DLL) with the same config on other ports: this tree's node is "after".
  [ -f "${BEFORE_NODE_DLL:-}" ] || { echo "COMPARE=before needs BEFORE_NODE_DLL (a built RaftBalancer.Node.dll)" >&2; exit 1; }
  PAIR=1; A=before; B=after
  BEFORE_PORT="$(free_port)"; BEFORE_ADMIN="$(free_port)"
  sed -e "s|127.0.0.1:$NODE_PORT|127.0.0.1:$BEFORE_PORT|" -e "s|127.0.0.1:$ADMIN_PORT|127.0.0.1:$BEFORE_ADMIN|" \
    "$WORK/node.json" >"$WORK/node-before.json"
  start node_before dotnet "$BEFORE_NODE_DLL" --config "$WORK/node-before.json"
  A_URL="http://127.0.0.1:$BEFORE_PORT"
fi
if [ "$PAIR" = 0 ]; then
  start yarp dotnet "$YARP_DLL" --urls "http://127.0.0.1:$YARP_PORT" --backends "$(IFS=,; echo "${BACKENDS[*]}")"
fi

NODE_URL="http://127.0.0.1:$NODE_PORT"
YARP_URL="http://127.0.0.1:$YARP_PORT"
DIRECT_URL="${BACKENDS[0]}"
for u in "${BACKENDS[@]}"; do wait_ok "$u/"; done
if [ "$PAIR" = 0 ]; then wait_ok "$YARP_URL/"; fi
# The node answers 503 until its first probes find the backends healthy.
wait_ok "$NODE_URL/"
if [ "$PAIR" = 1 ]; then wait_ok "$A_URL/"; fi
if [ "$COMPARE" = metrics ]; then wait_ok "$OPS_URL/metrics"; fi

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

run_wrk() { # label url duration -> appends "label rps p50 p99 errors" to $WORK/results
  local label="$1" url="$2" duration="$3" out
  out="$(timeout 120 "${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency "$url$PATH_UNDER_TEST")"
  [ "$label" = warmup ] && return 0
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  errors="$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")"
  echo "$label $rps $p50 $p99 $errors" >>"$WORK/results"
  printf '  %-7s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %s\n' "$label" "$rps" "$p50" "$p99" "$errors"
}

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; PIN=$PIN"
if [ "$PAIR" = 1 ]; then
  if [ "$COMPARE" = metrics ]; then
    echo "metrics on (node with ops listener, scraped each round) vs off (same node, no meter provider)"; TARGET=0.97
  else
    echo "before ($BEFORE_NODE_DLL) vs after (this tree's node), same config"; TARGET=1.0
  fi
  echo "warm-up ($WARMUP each)..."
  for u in "$NODE_URL" "$A_URL"; do run_wrk warmup "$u" "$WARMUP"; done
  : >"$WORK/results"
  for round in $(seq 1 "$ROUNDS"); do
    echo "round $round"
    if [ $((round % 2)) = 1 ]; then order=("$A" "$B"); else order=("$B" "$A"); fi
    for t in "${order[@]}"; do
      if [ "$t" = "$A" ]; then
        run_wrk "$A" "$A_URL" "$DURATION"
        if [ "$COMPARE" = metrics ]; then curl -s -o /dev/null "$OPS_URL/metrics"; fi
      else
        run_wrk "$B" "$NODE_URL" "$DURATION"
      fi
    done
  done
  median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
  echo
  echo "| $COMPARE | req/s (median of $ROUNDS) | p50 ms (median) | p99 ms (median) | errors | req/s per round |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  for t in "$A" "$B"; do
    rps="$(awk -v t=$t '$1 == t { print $2 }' "$WORK/results" | median)"
    p50="$(awk -v t=$t '$1 == t { print $3 }' "$WORK/results" | median)"
    p99="$(awk -v t=$t '$1 == t { print $4 }' "$WORK/results" | median)"
    errors="$(awk -v t=$t '$1 == t { n += $5 } END { print n + 0 }' "$WORK/results")"
    rounds="$(awk -v t=$t '$1 == t { printf "%s%.0f", (n++ ? ", " : ""), $2 }' "$WORK/results")"
    printf '| %s | %.0f | %.3f | %.3f | %s | %s |\n' "$t" "$rps" "$p50" "$p99" "$errors" "$rounds"
    eval "${t}_rps=$rps ${t}_p99=$p99"
  done
  # For before/after the ratio is after/before; for metrics on/off.
  if [ "$COMPARE" = metrics ]; then N=on; D=off; else N=after; D=before; fi
  ratios="$(paste <(awk -v t=$N '$1 == t { print $2, $4 }' "$WORK/results") <(awk -v t=$D '$1 == t { print $2, $4 }' "$WORK/results") | awk '{ printf "%s%.2f/%.2f", (NR > 1 ? ", " : ""), $1 / $3, $2 / $4 }')"
  echo
  eval "nr=\$${N}_rps dr=\$${D}_rps np=\$${N}_p99 dp=\$${D}_p99"
  awk -v a="$nr" -v b="$dr" -v c="$np" -v d="$dp" -v n="$N" -v m="$D" -v t="$TARGET" 'BEGIN { printf "%s / %s: req/s %.2fx (target >= %s), p99 %.2fx\n", n, m, a / b, t, c / d }'
  echo "per round ($N/$D req/s / p99): $ratios"
  exit 0
fi

echo "warm-up ($WARMUP each)..."
for u in "$NODE_URL" "$YARP_URL" "$DIRECT_URL"; do run_wrk warmup "$u" "$WARMUP"; done

: >"$WORK/results"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  # Alternate which proxy goes first (A B, B A, ...), the direct backend last.
  if [ $((round % 2)) = 1 ]; then order=(node yarp); else order=(yarp node); fi
  for t in "${order[@]}" direct; do
    case "$t" in
      node) run_wrk node "$NODE_URL" "$DURATION" ;;
      yarp) run_wrk yarp "$YARP_URL" "$DURATION" ;;
      direct) run_wrk direct "$DIRECT_URL" "$DURATION" ;;
    esac
  done
done

echo
echo "| target | req/s (median of $ROUNDS) | p50 ms (median) | p99 ms (median) | errors | req/s per round |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for t in node yarp direct; do
  rps="$(awk -v t=$t '$1 == t { print $2 }' "$WORK/results" | median)"
  p50="$(awk -v t=$t '$1 == t { print $3 }' "$WORK/results" | median)"
  p99="$(awk -v t=$t '$1 == t { print $4 }' "$WORK/results" | median)"
  errors="$(awk -v t=$t '$1 == t { n += $5 } END { print n + 0 }' "$WORK/results")"
  rounds="$(awk -v t=$t '$1 == t { printf "%s%.0f", (n++ ? ", " : ""), $2 }' "$WORK/results")"
  printf '| %s | %.0f | %.3f | %.3f | %s | %s |\n' "$t" "$rps" "$p50" "$p99" "$errors" "$rounds"
  eval "${t}_rps=$rps ${t}_p99=$p99"
done
# Per-round ratios pair each node run with the yarp run of the same round (same machine state).
ratios="$(paste <(awk '$1 == "node" { print $2, $4 }' "$WORK/results") <(awk '$1 == "yarp" { print $2, $4 }' "$WORK/results") | awk '{ printf "%s%.2f/%.2f", (NR > 1 ? ", " : ""), $1 / $3, $2 / $4 }')"
echo
awk -v nr="$node_rps" -v yr="$yarp_rps" -v np="$node_p99" -v yp="$yarp_p99" -v dr="$direct_rps" 'BEGIN {
  printf "node / bare YARP: req/s %.2fx (target >= 1.0), p99 %.2fx (target <= 1.1); node / direct backend: req/s %.2fx\n", nr / yr, np / yp, nr / dr }'
echo "per round (node/yarp req/s / p99): $ratios"
