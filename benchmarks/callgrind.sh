#!/usr/bin/env bash
# Instructions per request (valgrind callgrind: the same count whatever else the machine does),
# for the gateway process and for one executor, in two configurations of the same binary:
#   before: gRPC everywhere (grpc-swift front door, JinaRPC/Call streams to the executors)
#   after:  the defaults (our HTTP/2 front door, the local wire to the executors)
# Each side: start, warm up with 500 requests, zero the counters, send N unary requests
# (h2load -c1 -m1, the shared request.grpc), dump, and divide the instructions by N.
#   benchmarks/callgrind.sh [N=2000]      (KEEP=DIR keeps the callgrind files for callgrind_annotate)
# Valgrind 3.19 (Debian bookworm's) aborts with an internal SIGSEGV when a `jina` server's main
# thread parks in libdispatch's sigsuspend (its wrapper writes to the read-only signal mask), so
# the servers under valgrind get a preloaded sigsuspend that passes a copy
# (benchmarks/valgrind/sigsuspend-copy.c).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HARNESS="${JINA_BENCH_HARNESS:-$ROOT/../shared/bench}"
N="${1:-2000}"
BIN="${BIN:-$ROOT/.build/release/jina}"
[ -x "$BIN" ] || (cd "$ROOT" && scripts/build-release.sh jina >/dev/null)
command -v valgrind >/dev/null || "$ROOT/scripts/install-system-deps.sh" valgrind
command -v h2load >/dev/null || "$ROOT/scripts/install-system-deps.sh" nghttp2-client
WORK="$(mktemp -d /tmp/jina-cg.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -z "${KEEP:-}" ] || { mkdir -p "$KEEP"; cp "$WORK"/*.out.* "$KEEP"/ 2>/dev/null || true; }; rm -rf "$WORK"' EXIT
# Valgrind 3.19 cannot read the DWARF 5 that Swift 6.3 writes: profile a copy without it
# (function names come from the symbol table).
cp "$BIN" "$WORK/jina"
strip --strip-debug "$WORK/jina"
BIN="$WORK/jina"
"${CC:-clang}" -shared -fPIC -O2 -o "$WORK/sigsuspend-copy.so" "$ROOT/benchmarks/valgrind/sigsuspend-copy.c"
SHIM="$WORK/sigsuspend-copy.so"

load() {  # $1 port, $2 count
  h2load -n "$2" -c 1 -m 1 -d "$HARNESS/request.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$1/jina.JinaSingleDataRequestRPC/process_single_data" | grep -E '^requests:' >&2
}

wait_ready() {  # $1 port, $2 pid that must stay alive
  until "$BIN" ping flow "grpc://127.0.0.1:$1" --timeout 500ms >/dev/null 2>&1; do
    kill -0 "$2" 2>/dev/null || { echo "the process under callgrind died; see $WORK" >&2; exit 1; }
    sleep 0.2
  done
}

measure() {  # $1 name, $2 valgrind pid, $3 port, $4 out file
  load "$3" 500
  callgrind_control -z "$2" >/dev/null
  load "$3" "$N"
  callgrind_control -d "$2" >/dev/null
  sleep 1
  local total
  total=$(for f in "$4".*; do callgrind_annotate "$f" 2>/dev/null | sed -n 's/^\([0-9,]*\) (100.0%).*PROGRAM TOTALS.*/\1/p'; done | tr -d , | awk '{s+=$1} END {print s}')
  python3 -c "print(f'CALLGRIND $1 instructions_per_request={$total/$N:.0f} requests=$N')"
}

for side in before after; do
  if [ "$side" = before ]; then opts=(--executor-transport stream --grpc-server grpc-swift); else opts=(); fi
  # The gateway: `jina gateway` under callgrind in front of two executors run natively.
  for e in 1 2; do
    "$BIN" executor --uses TextAppend --uses-with "{\"text\":\"-e$e\"}" --name "exec$e" --socket "$WORK/e$e.sock" >/dev/null 2>&1 &
  done
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  until [ -S "$WORK/e1.sock" ] && [ -S "$WORK/e2.sock" ]; do sleep 0.1; done
  LD_PRELOAD="$SHIM" valgrind --tool=callgrind --callgrind-out-file="$WORK/gw-$side.out" "$BIN" gateway --uses "$ROOT/benchmarks/flow-grpc.yml" \
    --host 127.0.0.1 --port "$port" --executor "exec1=unix://$WORK/e1.sock" --executor "exec2=unix://$WORK/e2.sock" "${opts[@]}" \
    >"$WORK/gw-$side.log" 2>&1 &
  vg=$!
  wait_ready "$port" "$vg"
  measure "gateway_$side" "$vg" "$port" "$WORK/gw-$side.out"
  kill -INT "$vg"; wait "$vg" || true
  kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true
  rm -f "$WORK"/e*.sock*

  # One executor: exec1 under callgrind, the gateway and exec2 native.
  LD_PRELOAD="$SHIM" valgrind --tool=callgrind --callgrind-out-file="$WORK/ex-$side.out" "$BIN" executor --uses TextAppend --uses-with '{"text":"-e1"}' \
    --name exec1 --socket "$WORK/e1.sock" >"$WORK/ex-$side.log" 2>&1 &
  vg=$!
  "$BIN" executor --uses TextAppend --uses-with '{"text":"-e2"}' --name exec2 --socket "$WORK/e2.sock" >/dev/null 2>&1 &
  until [ -S "$WORK/e1.sock" ] && [ -S "$WORK/e2.sock" ]; do sleep 0.2; done
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$BIN" gateway --uses "$ROOT/benchmarks/flow-grpc.yml" --host 127.0.0.1 --port "$port" \
    --executor "exec1=unix://$WORK/e1.sock" --executor "exec2=unix://$WORK/e2.sock" "${opts[@]}" >/dev/null 2>&1 &
  wait_ready "$port" "$vg"
  measure "executor_$side" "$vg" "$port" "$WORK/ex-$side.out"
  kill -INT "$vg"; wait "$vg" || true
  kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true
  rm -f "$WORK"/e*.sock*
done
