#!/usr/bin/env bash
# Side-by-side benchmark: the same Flow (gateway + two executors appending text) in our `jina`
# and in Python Jina 3.34, one after the other, with the same load generator and request bytes
# (the shared harness: h2load via loadgen.py). Prints FIGURE/STARTUP/SHUTDOWN/RSS lines for both
# and the our/Jina ratios. Not a test: numbers go to docs/performance.md by hand.
#   benchmarks/run.sh [ours|jina|both|monitoring]      knobs: RUNS=3 H2N=20000 H2C=4 H2M=8
#   monitoring: ours without and with metrics (flow-grpc-monitoring.yml), then the overhead.
#   python: the shared reference Flow (Python executors) under our `jina flow`, then under Jina's.
#   transports: ours with the gateway→executor hop over the local wire, then over gRPC Call streams.
#   EXECUTOR_TRANSPORT=local|stream|unary picks the hop for `ours` (default: local);
#   GRPC_SERVER=nio|grpc-swift what serves the gateway's gRPC port (default: nio, our front door).
#   structure: ours as of issue #4 (grpc-swift front door, Call streams) against the new hot path.
#   benchmarks/run.sh http|http-ours|http-jina   wrk against the HTTP gateways; knobs WRK_D=10 WRK_C=8 WRK_T=1, BIN=
#   benchmarks/run.sh tracing   ours without tracing, then with it at sampling 0.01 and 1.0 (spans to a local receiver).
#   benchmarks/run.sh graphql   one of our gateways, the same one-document request as HTTP JSON
#   (POST /default) and as a GraphQL mutation (POST /graphql), alternately; same knobs.
# Needs: the shared harness (JINA_BENCH_HARNESS, default ../shared/bench next to the repo),
# the reference venv (scripts/reference-venv.sh), h2load (apt nghttp2-client).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HARNESS="${JINA_BENCH_HARNESS:-$ROOT/../shared/bench}"
WHICH="${1:-both}"
RUNS="${RUNS:-3}"; H2N="${H2N:-20000}"; H2C="${H2C:-4}"; H2M="${H2M:-8}"
OUT="${BENCH_OUT:-$ROOT/.bench}/results/$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
SUM="$OUT/summary.txt"
export BENCH_OUT="${BENCH_OUT:-$ROOT/.bench}" JINA_OPTOUT_TELEMETRY=1
VENV="$("$ROOT/scripts/reference-venv.sh" | tail -n 1)"
command -v h2load >/dev/null || "$ROOT/scripts/install-system-deps.sh" nghttp2-client
log() { tee -a "$OUT/$1.txt" | grep --line-buffered -E '^(FIGURE|STARTUP|SHUTDOWN|RSS|CHECK|NOTE)' | tee -a "$SUM"; }

# Every process below $1 (a Python executor runs under its lifeline shim), one per line.
descendants() {
  local child
  for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done
}

bench_ours() {
  # $1: the Flow file; $2: the name in FIGURE/RSS lines (ours; oursmon for the monitoring run);
  # $3: the gateway port the Flow file sets (54331 for ours, 54321 for the shared reference Flow)
  local flow="${1:-$ROOT/benchmarks/flow-grpc.yml}" impl="${2:-ours}"
  local bin="${BIN:-}" port="${3:-54331}"
  if [ -z "$bin" ]; then
    (cd "$ROOT" && scripts/build-release.sh jina >/dev/null)
    bin="$ROOT/.build/release/jina"
  fi
  local t0 t1 main pids
  t0=$(date +%s.%N)
  BENCH_PORT=$port "$bin" flow --uses "$flow" --executor-transport "${EXECUTOR_TRANSPORT:-local}" --grpc-server "${GRPC_SERVER:-nio}" >"$OUT/$impl-flow.log" 2>&1 &
  main=$!
  # ready = the first successful flow ping (a dry run through both executors), as for Jina
  until "$bin" ping flow "grpc://127.0.0.1:$port" --timeout 200ms >/dev/null 2>&1; do
    kill -0 "$main" 2>/dev/null || { echo "our flow died; see $OUT/$impl-flow.log"; exit 1; }
  done
  t1=$(date +%s.%N)
  pids="gateway=$main $(descendants "$main" | awk '{printf "proc%d=%s ", NR, $1}')"
  python3 -c "print(f'STARTUP impl=$impl ready_ping_s={$t1-$t0:.3f}')" | log "$impl"
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed "s/^RSS /RSS ${impl}_idle /" | log "$impl"
  python3 "$HARNESS/loadgen.py" grpc "127.0.0.1:$port" --method unary -n "$H2N" -c "$H2C" -m "$H2M" --runs "$RUNS" --figure ${impl}_unary --pids $pids 2>&1 | log "$impl"
  python3 "$HARNESS/loadgen.py" grpc "127.0.0.1:$port" --method stream -n "$H2N" -c "$H2C" -m "$H2M" --runs "$RUNS" --figure ${impl}_call --pids $pids 2>&1 | log "$impl"
  python3 "$HARNESS/loadgen.py" grpc "127.0.0.1:$port" --method unary -n 2000 -c 1 -m 1 --runs "$RUNS" --figure ${impl}_unary_c1m1 --pids $pids 2>&1 | log "$impl"
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed "s/^RSS /RSS ${impl}_after_load /" | log "$impl"
  t0=$(date +%s.%N); kill -INT "$main"; wait "$main" || true; t1=$(date +%s.%N)
  python3 -c "print(f'SHUTDOWN impl=$impl graceful_s={$t1-$t0:.3f}')" | log "$impl"
}

bench_jina() {
  "$HARNESS/start_flow.sh" grpc 2>&1 | sed 's/^STARTUP /STARTUP impl=jina /' | log jina
  local pids; pids="$(tr '\n' ' ' < "$BENCH_OUT/run/grpc.pids")"
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed 's/^RSS /RSS jina_idle /' | log jina
  python3 "$HARNESS/loadgen.py" grpc 127.0.0.1:54321 --method unary -n "$H2N" -c "$H2C" -m "$H2M" --runs "$RUNS" --figure jina_unary --pids $pids 2>&1 | log jina
  python3 "$HARNESS/loadgen.py" grpc 127.0.0.1:54321 --method stream -n "$H2N" -c "$H2C" -m "$H2M" --runs "$RUNS" --figure jina_call --pids $pids 2>&1 | log jina
  python3 "$HARNESS/loadgen.py" grpc 127.0.0.1:54321 --method unary -n 2000 -c 1 -m 1 --runs "$RUNS" --figure jina_unary_c1m1 --pids $pids 2>&1 | log jina
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed 's/^RSS /RSS jina_after_load /' | log jina
  "$HARNESS/stop_flow.sh" grpc 2>&1 | sed 's/^SHUTDOWN /SHUTDOWN impl=jina /' | log jina
}

# HTTP: wrk POSTs request-http.json to /default (loadgen.py http), ours vs Jina's HTTP gateway on
# the same Flow shape. BIN=path/to/jina uses that binary instead of building a release one
# (e.g. a debug smoke test: BIN=.build/debug/jina WRK_D=1 RUNS=1 benchmarks/run.sh http-ours).
WRK_D="${WRK_D:-10}"; WRK_C="${WRK_C:-8}"; WRK_T="${WRK_T:-1}"
bench_ours_http() {
  local bin="${BIN:-}" port=54332 t0 t1 main pids
  if [ -z "$bin" ]; then
    (cd "$ROOT" && scripts/build-release.sh jina >/dev/null)
    bin="$ROOT/.build/release/jina"
  fi
  command -v wrk >/dev/null || "$ROOT/scripts/install-system-deps.sh" wrk
  t0=$(date +%s.%N)
  BENCH_PORT=$port "$bin" flow --uses "$ROOT/benchmarks/flow-http.yml" >"$OUT/ours-http-flow.log" 2>&1 &
  main=$!
  until "$bin" ping flow "http://127.0.0.1:$port" --timeout 200ms >/dev/null 2>&1; do
    kill -0 "$main" 2>/dev/null || { echo "our flow died; see $OUT/ours-http-flow.log"; exit 1; }
  done
  t1=$(date +%s.%N)
  pids="gateway=$main $(pgrep -P "$main" | awk '{printf "exec%d=%s ", NR, $1}')"
  python3 -c "print(f'STARTUP impl=ours_http ready_ping_s={$t1-$t0:.3f}')" | log ours-http
  python3 "$HARNESS/loadgen.py" http "127.0.0.1:$port" --path /default -d "$WRK_D" -c "$WRK_C" -t "$WRK_T" --runs "$RUNS" --figure ours_http --pids $pids 2>&1 | log ours-http
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed 's/^RSS /RSS ourshttp_after_load /' | log ours-http
  kill -INT "$main"; wait "$main" || true
}

# GraphQL against HTTP JSON on one gateway (benchmarks/flow-graphql.yml): wrk, the same document.
bench_graphql() {
  local bin="${BIN:-}" port=54333 main pids
  if [ -z "$bin" ]; then
    (cd "$ROOT" && scripts/build-release.sh jina >/dev/null)
    bin="$ROOT/.build/release/jina"
  fi
  command -v wrk >/dev/null || "$ROOT/scripts/install-system-deps.sh" wrk
  BENCH_PORT=$port "$bin" flow --uses "$ROOT/benchmarks/flow-graphql.yml" >"$OUT/graphql-flow.log" 2>&1 &
  main=$!
  until "$bin" ping flow "http://127.0.0.1:$port" --timeout 200ms >/dev/null 2>&1; do
    kill -0 "$main" 2>/dev/null || { echo "our flow died; see $OUT/graphql-flow.log"; exit 1; }
  done
  pids="gateway=$main $(pgrep -P "$main" | awk '{printf "exec%d=%s ", NR, $1}')"
  for round in 1 2; do
    python3 "$HARNESS/loadgen.py" http "127.0.0.1:$port" --path /default -d "$WRK_D" -c "$WRK_C" -t "$WRK_T" --runs "$RUNS" --figure ours_http_json --pids $pids 2>&1 | log graphql
    python3 "$HARNESS/loadgen.py" http "127.0.0.1:$port" --path /graphql --body-file "$ROOT/benchmarks/graphql/request.json" -d "$WRK_D" -c "$WRK_C" -t "$WRK_T" --runs "$RUNS" --figure ours_graphql --pids $pids 2>&1 | log graphql
  done
  kill -INT "$main"; wait "$main" || true
}

bench_jina_http() {
  command -v wrk >/dev/null || "$ROOT/scripts/install-system-deps.sh" wrk
  "$HARNESS/start_flow.sh" http 2>&1 | sed 's/^STARTUP /STARTUP impl=jina_http /' | log jina-http
  local pids; pids="$(tr '\n' ' ' < "$BENCH_OUT/run/http.pids")"
  python3 "$HARNESS/loadgen.py" http 127.0.0.1:54322 --path /default -d "$WRK_D" -c "$WRK_C" -t "$WRK_T" --runs "$RUNS" --figure jina_http --pids $pids 2>&1 | log jina-http
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed 's/^RSS /RSS jinahttp_after_load /' | log jina-http
  "$HARNESS/stop_flow.sh" http 2>&1 | sed 's/^SHUTDOWN /SHUTDOWN impl=jina_http /' | log jina-http
}

case "$WHICH" in
  ours) bench_ours ;;
  jina) bench_jina ;;
  both) bench_ours; bench_jina ;;
  http-ours) bench_ours_http ;;
  http-jina) bench_jina_http ;;
  http) bench_ours_http; bench_jina_http ;;
  graphql) bench_graphql ;;
  python)
    # Issue #12: the shared reference Flow itself (gateway → Python executor → Python executor,
    # py_modules), unchanged, run by our `jina flow` (Python Jina's workers, our gateway), then
    # by Python Jina's `jina flow`.
    JINA_PYTHON="$VENV/bin/python" bench_ours "$HARNESS/flow-grpc.yml" ourspy 54321
    bench_jina
    ;;
  transports)
    EXECUTOR_TRANSPORT=local bench_ours "$ROOT/benchmarks/flow-grpc.yml" ours
    EXECUTOR_TRANSPORT=stream bench_ours "$ROOT/benchmarks/flow-grpc.yml" oursstream
    EXECUTOR_TRANSPORT=stream GRPC_SERVER=grpc-swift bench_ours "$ROOT/benchmarks/flow-grpc.yml" oursold
    ;;
  tracing)
    # A receiver that counts and drops spans stands in for the collector (not among the
    # measured processes); ours without tracing, then tracing at ratios 0.01 and 1.0.
    exec 3< <(exec "$VENV/bin/python" "$ROOT/benchmarks/tracing/receiver.py")
    receiver=$!
    trap 'kill "$receiver" 2>/dev/null || true' EXIT
    read -r _ BENCH_TRACE_PORT <&3 || { echo "the span receiver did not start"; exit 1; }
    export BENCH_TRACE_PORT
    bench_ours
    BENCH_TRACE_RATIO=0.01 bench_ours "$ROOT/benchmarks/flow-grpc-tracing.yml" ourstr1
    BENCH_TRACE_RATIO=1 bench_ours "$ROOT/benchmarks/flow-grpc-tracing.yml" ourstr100
    kill "$receiver" 2>/dev/null || true
    grep '^SPANS' <&3 | sed 's/^/NOTE receiver /' | log tracing
    python3 - "$SUM" <<'PY' | tee -a "$SUM"
import re, sys
cpu, rps = {}, {}
for line in open(sys.argv[1]):
    if line.startswith("FIGURE "):
        impl, _, kind = line.split()[1].partition("_")
        m = re.search(r"median_server_cpu_ms_per_req=([\d.]+)", line)
        if m: cpu.setdefault(kind, {})[impl] = float(m.group(1))
        m = re.search(r"median_rps=([\d.]+)", line)
        if m: rps.setdefault(kind, {})[impl] = float(m.group(1))
for kind in sorted(cpu):
    for impl, label in (("ourstr1", "0.01"), ("ourstr100", "1.0")):
        if {"ours", impl} <= cpu[kind].keys() and {"ours", impl} <= rps.get(kind, {}).keys():
            off, on = cpu[kind]["ours"], cpu[kind][impl]
            print(f"OVERHEAD {kind}: tracing at {label}: {on:.3f} vs {off:.3f} ms CPU/req = {100 * (on / off - 1):+.1f}%; "
                  f"{rps[kind][impl]:.0f} vs {rps[kind]['ours']:.0f} rps")
PY
    ;;
  monitoring)
    bench_ours
    bench_ours "$ROOT/benchmarks/flow-grpc-monitoring.yml" oursmon
    python3 - "$SUM" <<'PY' | tee -a "$SUM"
import re, sys
rps = {}
for line in open(sys.argv[1]):
    if line.startswith("FIGURE "):
        name = line.split()[1]
        impl, _, kind = name.partition("_")
        m = re.search(r"median_rps=([\d.]+)", line)
        if m: rps.setdefault(kind, {})[impl] = float(m.group(1))
for kind, sides in sorted(rps.items()):
    if {"ours", "oursmon"} <= sides.keys():
        loss = 100 * (1 - sides["oursmon"] / sides["ours"])
        print(f"OVERHEAD {kind}: metrics on {sides['oursmon']:.0f} rps vs off {sides['ours']:.0f} rps = {loss:.1f}% fewer")
PY
    ;;
esac
python3 "$ROOT/benchmarks/ratios.py" "$SUM" | tee -a "$SUM"
echo "results in $OUT"
