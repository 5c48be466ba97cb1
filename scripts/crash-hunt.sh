#!/usr/bin/env bash
# Issue #16 item 2: runs the Python suites RUNS times (default 30) under CPU contention — one busy
# loop per core beside them — and fails on the first failing test or the first crash report of
# any Swift process (the runtime writes one per crash into a folder; `jina` and every process it
# starts inherit SWIFT_BACKTRACE). Uses the built debug binary; run scripts/test.sh (or
# `swift build`) first. Not part of CI: one run takes 7–8 minutes alone.
#   scripts/crash-hunt.sh [RUNS] [PARALLEL]
# PARALLEL (default 1) runs that many suites at once, each in its own network namespace (so two
# suites never hand out the same loopback port) with its own pytest folder: a suite waits on its
# processes most of the time (beside the busy loops it uses about a quarter of the CPU), so
# several at once finish more runs an hour, under more contention, not less (on 2 cores: 3 at
# once, 3 runs in ~12 minutes; 4 at once, 4 runs in ~14 minutes).
# Every finished run is appended to a ledger (HUNT_LEDGER, default .build/crash-hunt.ledger) with
# the last commit that changed the binary's sources, so a hunt cut short (a machine restart) can
# be continued: the script prints how many consecutive clean runs those sources already have.
# Stop a hunt with Ctrl-C, or SIGTERM when it runs in the background (a background script
# ignores SIGINT): the runs in flight are then not recorded, neither clean nor failed.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-30}"
PARALLEL="${2:-1}"
LEDGER="${HUNT_LEDGER:-.build/crash-hunt.ledger}"
VENV="$(scripts/reference-venv.sh | tail -n 1)"
scripts/install-api-docs.sh   # the suites run without network (below); the API docs test needs these
export JINA_BINARY="$PWD/.build/debug/jina" JINA_OPTOUT_TELEMETRY=1 JINA_REF_VENV="$VENV"
[ -x "$JINA_BINARY" ] || { echo "build first: swift build --build-tests" >&2; exit 2; }

# What the runs are evidence for: the binary's sources as committed (uncommitted changes to them
# make the runs count for nothing, so they are refused).
if ! git diff --quiet HEAD -- Sources Package.swift; then
  echo "Sources/ or Package.swift has uncommitted changes: commit (and build) first" >&2
  exit 2
fi
SOURCES="$(git log -1 --format=%h -- Sources Package.swift)"
BINARY_SHA="$(sha256sum "$JINA_BINARY" | cut -c1-12)"
mkdir -p "$(dirname "$LEDGER")"
touch "$LEDGER"
# Consecutive clean runs recorded for these sources: those after the last failure.
previous=$(awk -v s="$SOURCES" '$2 == s { n = ($4 == "clean") ? n + 1 : 0 } END { print n + 0 }' "$LEDGER")
echo "sources $SOURCES (binary $BINARY_SHA): $previous consecutive clean runs on record in $LEDGER"

source scripts/contention.sh
start_contention crash-hunt
declare -A running=()   # pid → run number
declare -A begun=()     # run number → start time
cleanup() {
  stop_contention
  for pid in "${!running[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
# Stopped by hand (or by the machine): the runs in flight are not failures, and are not recorded.
trap 'echo "stopped: runs in flight (${running[*]:-none}) not recorded" >&2; exit 130' INT TERM

record() { echo "$(date -u +%FT%TZ) $SOURCES $BINARY_SHA $1 run=$2 seconds=$3" >>"$LEDGER"; }

start_run() {
  local run=$1
  begun[$run]=$(date +%s)
  unshare --net -- bash -c 'ip link set lo up && exec "$@"' _ \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider --disable-warnings \
    --basetemp "$LOGS/tmp-$run" Tests/Python >"$LOGS/$run.log" 2>&1 &
  running[$!]=$run
}

started=0
finished=0
while [ "$finished" -lt "$RUNS" ]; do
  while [ "${#running[@]}" -lt "$PARALLEL" ] && [ "$started" -lt "$RUNS" ]; do
    started=$((started + 1))
    start_run "$started"
  done
  status=0
  wait -n -p done_pid "${!running[@]}" || status=$?
  run=${running[$done_pid]}
  unset "running[$done_pid]"
  finished=$((finished + 1))
  seconds=$(($(date +%s) - ${begun[$run]}))
  # A crashed process's backtracer may still be writing: wait for it (at most a minute).
  for backtracer in $(pgrep -u "$(id -u)" -f swift-backtrace || true); do
    timeout 60 tail --pid="$backtracer" -f /dev/null || true
  done
  if [ -n "$(ls -A "$CRASHES")" ]; then
    record crash "$run" "$seconds"
    echo "run $run: a Swift process crashed (runs in flight: ${running[*]:-none}); the runtime's reports:"
    for report in "$CRASHES"/*; do echo "== $report"; head -n 80 "$report"; done
    exit 1
  fi
  if [ "$status" -ne 0 ]; then
    record failed "$run" "$seconds"
    echo "run $run: tests FAILED after $seconds s (log: $LOGS/$run.log):"
    grep -E '^(FAILED|ERROR)' "$LOGS/$run.log" | head -n 20 || true
    exit 1
  fi
  record clean "$run" "$seconds"
  rm -rf "$LOGS/tmp-$run"
  echo "run $run: ok in $seconds s ($(tail -n 1 "$LOGS/$run.log")); $((previous + finished)) consecutive clean"
done
echo "$RUNS runs of the Python suites under contention: no failure, no crash report" \
  "($((previous + RUNS)) consecutive clean runs on sources $SOURCES)"
rm -rf "$LOGS"
