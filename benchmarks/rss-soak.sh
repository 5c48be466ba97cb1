#!/usr/bin/env bash
# Gateway memory under a long load: RSS of the gateway process after 100,000 and after
# 1,000,000 unary requests through benchmarks/flow-grpc.yml (h2load c4 m8, shared request.grpc).
#   benchmarks/rss-soak.sh [TOTAL=1000000]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HARNESS="${JINA_BENCH_HARNESS:-$ROOT/../shared/bench}"
TOTAL="${1:-1000000}"
BIN="${BIN:-$ROOT/.build/release/jina}"
[ -x "$BIN" ] || (cd "$ROOT" && scripts/build-release.sh jina >/dev/null)
port=54341
BENCH_PORT=$port "$BIN" flow --uses "$ROOT/benchmarks/flow-grpc.yml" >/dev/null 2>&1 &
main=$!
trap 'kill -INT $main 2>/dev/null; wait $main 2>/dev/null || true' EXIT
until "$BIN" ping flow "grpc://127.0.0.1:$port" --timeout 200ms >/dev/null 2>&1; do sleep 0.1; done
rss() { awk '/VmRSS/ {print $2/1024}' "/proc/$main/status"; }
load() {
  h2load -n "$1" -c 4 -m 8 -d "$HARNESS/request.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$port/jina.JinaSingleDataRequestRPC/process_single_data" | grep -E '^requests:'
}
echo "SOAK idle gateway_rss_mib=$(rss)"
load 100000
echo "SOAK after=100000 gateway_rss_mib=$(rss)"
load $((TOTAL - 100000))
echo "SOAK after=$TOTAL gateway_rss_mib=$(rss)"
