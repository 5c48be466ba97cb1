#!/usr/bin/env bash
# Issue #16 item 3: runs the Swift suites RUNS times (default 50) under CPU contention — one busy
# loop per core beside them — each run limited to 5 minutes, and fails on the first hang, test
# failure or crash report. A hung run's threads are printed (gdb) before it is killed.
#   scripts/hang-hunt.sh [RUNS]
# Prints one line per run (status, seconds) and a summary. Not part of CI (it takes ~20 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-50}"
swift build --build-tests >/dev/null
command -v gdb >/dev/null || scripts/install-system-deps.sh gdb
source scripts/contention.sh
start_contention hang-hunt
pid=""
# The test run's own processes: the busy loops, `swift test` and what it started.
cleanup() {
  stop_contention
  if [ -n "$pid" ]; then pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; fi
}
trap cleanup EXIT INT TERM

for run in $(seq "$RUNS"); do
  started=$(date +%s)
  swift test --skip-build >"$LOGS/$run.log" 2>&1 &
  pid=$!
  # Waits for the run to end, at most 5 minutes.
  timeout 300 tail --pid="$pid" -f /dev/null || true
  if kill -0 "$pid" 2>/dev/null; then
    echo "run $run: HUNG after $(($(date +%s) - started)) s; the test process's threads, twice, 10 s apart"
    echo "(a thread in the same place both times is waiting or spinning; one that moved is working):"
    for snapshot in 1 2; do
      echo "== snapshot $snapshot"
      for xctest in $(pgrep -P "$pid" || true); do
        gdb -p "$xctest" -batch -ex "thread apply all bt 25" 2>/dev/null | grep -E '^(Thread|#)' | cut -c1-220 || true
      done
      [ "$snapshot" = 1 ] && sleep 10
    done
    grep -E '◇ Test .* started' "$LOGS/$run.log" | tail -n 5 || true
    exit 1
  fi
  status=0
  wait "$pid" || status=$?
  pid=""
  if [ "$status" -ne 0 ]; then
    echo "run $run: FAILED (status $status) after $(($(date +%s) - started)) s"
    grep -E '✘' "$LOGS/$run.log" | head -n 20 || true
    exit 1
  fi
  if [ -n "$(ls -A "$CRASHES")" ]; then
    echo "run $run: a crash report was written:"
    head -n 60 "$CRASHES"/* || true
    exit 1
  fi
  echo "run $run: ok in $(($(date +%s) - started)) s"
done
echo "$RUNS runs under contention: no hang, no failure, no crash report"
rm -rf "$LOGS"
