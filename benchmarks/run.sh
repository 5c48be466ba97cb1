#!/usr/bin/env bash
# Side-by-side benchmark: the same Flow (gateway + two executors appending text) in our `jina`
# and in Python Jina 3.34, one after the other, with the same load generator and request bytes
# (the shared harness: h2load via loadgen.py). Prints FIGURE/STARTUP/SHUTDOWN/RSS lines for both
# and the our/Jina ratios. Not a test: numbers go to docs/performance.md by hand.
#   benchmarks/run.sh [ours|jina|both]      knobs: RUNS=3 H2N=20000 H2C=4 H2M=8
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

bench_ours() {
  (cd "$ROOT" && swift build -c release --product jina >/dev/null)
  local bin="$ROOT/.build/release/jina" port=54331
  local t0 t1 main pids
  t0=$(date +%s.%N)
  BENCH_PORT=$port "$bin" flow --uses "$ROOT/benchmarks/flow-grpc.yml" >"$OUT/ours-flow.log" 2>&1 &
  main=$!
  # ready = the first successful flow ping (a dry run through both executors), as for Jina
  until "$bin" ping flow "grpc://127.0.0.1:$port" --timeout 200ms >/dev/null 2>&1; do
    kill -0 "$main" 2>/dev/null || { echo "our flow died; see $OUT/ours-flow.log"; exit 1; }
  done
  t1=$(date +%s.%N)
  pids="gateway=$main $(pgrep -P "$main" | awk '{printf "exec%d=%s ", NR, $1}')"
  python3 -c "print(f'STARTUP impl=ours ready_ping_s={$t1-$t0:.3f}')" | log ours
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed 's/^RSS /RSS ours_idle /' | log ours
  python3 "$HARNESS/loadgen.py" grpc "127.0.0.1:$port" --method unary -n "$H2N" -c "$H2C" -m "$H2M" --runs "$RUNS" --figure ours_unary --pids $pids 2>&1 | log ours
  python3 "$HARNESS/loadgen.py" grpc "127.0.0.1:$port" --method stream -n "$H2N" -c "$H2C" -m "$H2M" --runs "$RUNS" --figure ours_call --pids $pids 2>&1 | log ours
  python3 "$HARNESS/loadgen.py" grpc "127.0.0.1:$port" --method unary -n 2000 -c 1 -m 1 --runs "$RUNS" --figure ours_unary_c1m1 --pids $pids 2>&1 | log ours
  "$VENV/bin/python" "$HARNESS/procstats.py" rss $pids | sed 's/^RSS /RSS ours_after_load /' | log ours
  t0=$(date +%s.%N); kill -INT "$main"; wait "$main" || true; t1=$(date +%s.%N)
  python3 -c "print(f'SHUTDOWN impl=ours graceful_s={$t1-$t0:.3f}')" | log ours
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

case "$WHICH" in
  ours) bench_ours ;;
  jina) bench_jina ;;
  both) bench_ours; bench_jina ;;
esac
python3 "$ROOT/benchmarks/ratios.py" "$SUM" | tee -a "$SUM"
echo "results in $OUT"
