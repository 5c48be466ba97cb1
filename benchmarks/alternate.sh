#!/usr/bin/env bash
# Python Jina's figure moves between runs on a shared machine, so ratios are taken as the median
# of alternating rounds: ours, Jina, ours, Jina… (each round one run of every figure), then
# benchmarks/median.py prints the median of each figure and the ratios.
#   benchmarks/alternate.sh [ROUNDS=5] [grpc|http]     knobs as benchmarks/run.sh (H2N, WRK_D…)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-5}"; KIND="${2:-grpc}"
STAMP="$(date +%Y%m%d-%H%M%S)"
BASE="${BENCH_OUT:-$ROOT/.bench}"
SUMS=()
(cd "$ROOT" && scripts/build-release.sh jina >/dev/null)
for round in $(seq 1 "$ROUNDS"); do
  for side in ours jina; do
    which="$side"; [ "$KIND" = http ] && which="http-$side"
    mkdir -p "$BASE/alternate-$STAMP"
    out="$BASE/alternate-$STAMP/$round-$side"
    BENCH_OUT="$BASE" RUNS=1 BIN="$ROOT/.build/release/jina" "$ROOT/benchmarks/run.sh" "$which" >"$out.log" 2>&1 \
      || { echo "round $round ($side) failed: see $out.log" >&2; exit 1; }
    SUMS+=("$(sed -n 's/^results in //p' "$out.log")/summary.txt")
    echo "round $round $side done"
  done
done
python3 "$ROOT/benchmarks/median.py" "${SUMS[@]}" | tee "$BASE/alternate-$STAMP/median.txt"
