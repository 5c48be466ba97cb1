#!/usr/bin/env bash
# Issue #16 item 2: runs the Python suites RUNS times (default 30) under CPU contention — one busy
# loop per core beside them — and fails on the first failing test or the first crash report of
# any Swift process (the runtime writes one per crash into a folder; `jina` and every process it
# starts inherit SWIFT_BACKTRACE). Uses the built debug binary; run scripts/test.sh (or
# `swift build`) first. Not part of CI: one run takes 5–10 minutes.
#   scripts/crash-hunt.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-30}"
VENV="$(scripts/reference-venv.sh | tail -n 1)"
export JINA_BINARY="$PWD/.build/debug/jina" JINA_OPTOUT_TELEMETRY=1 JINA_REF_VENV="$VENV"
[ -x "$JINA_BINARY" ] || { echo "build first: swift build --build-tests" >&2; exit 2; }
source scripts/contention.sh
start_contention crash-hunt
trap stop_contention EXIT INT TERM

for run in $(seq "$RUNS"); do
  started=$(date +%s)
  status=0
  "$VENV/bin/python" -m pytest -q -p no:cacheprovider --disable-warnings Tests/Python >"$LOGS/$run.log" 2>&1 || status=$?
  # A crashed process's backtracer may still be writing: wait for it (at most a minute).
  for backtracer in $(pgrep -u "$(id -u)" -f swift-backtrace || true); do
    timeout 60 tail --pid="$backtracer" -f /dev/null || true
  done
  if [ -n "$(ls -A "$CRASHES")" ]; then
    echo "run $run: a Swift process crashed; the runtime's reports:"
    for report in "$CRASHES"/*; do echo "== $report"; head -n 80 "$report"; done
    exit 1
  fi
  if [ "$status" -ne 0 ]; then
    echo "run $run: tests FAILED after $(($(date +%s) - started)) s:"
    grep -E '^(FAILED|ERROR)' "$LOGS/$run.log" | head -n 20 || true
    exit 1
  fi
  echo "run $run: ok in $(($(date +%s) - started)) s ($(tail -n 1 "$LOGS/$run.log"))"
done
echo "$RUNS runs of the Python suites under contention: no failure, no crash report"
rm -rf "$LOGS"
