#!/usr/bin/env bash
# The soak (issue #17 item 5): DURATION seconds (default 600) of mixed gRPC, HTTP and WebSocket
# load from the real Jina client through benchmarks/soak/flow.yml (replicas and shards), one
# executor replica SIGKILLed every minute; RSS of every process every 5 s; then a plot.
#   benchmarks/soak.sh [DURATION=600] [OUT=/tmp/jina-soak]      (BIN=… picks the binary)
# Writes OUT/summary.json (requests, failures, p99 per minute, RSS growth after warm-up per
# process) and docs/soak.png. Not part of CI: it takes ten minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${1:-600}"
OUT="${2:-/tmp/jina-soak}"
BIN="${BIN:-$ROOT/.build/release/jina}"
[ -x "$BIN" ] || (cd "$ROOT" && scripts/build-release.sh jina >/dev/null)
VENV="$("$ROOT/scripts/reference-venv.sh" | tail -n 1)"
# matplotlib for the plot, in a venv of its own (the reference venv stays as pinned).
PLOT_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/jina-soak-plot-venv"
if [ ! -x "$PLOT_VENV/bin/python" ] || ! "$PLOT_VENV/bin/python" -c 'import matplotlib' 2>/dev/null; then
  python3 -m venv "$PLOT_VENV"
  "$PLOT_VENV/bin/pip" install -q 'matplotlib==3.9.2'
fi
free_port() { "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export SOAK_PORT_GRPC="$(free_port)" SOAK_PORT_HTTP="$(free_port)" SOAK_PORT_WS="$(free_port)"
export JINA_OPTOUT_TELEMETRY=1
rm -rf "$OUT"
"$VENV/bin/python" "$ROOT/benchmarks/soak/run.py" "$BIN" "$ROOT/benchmarks/soak/flow.yml" \
  "$SOAK_PORT_GRPC" "$SOAK_PORT_HTTP" "$SOAK_PORT_WS" "$DURATION" "$OUT"
"$PLOT_VENV/bin/python" "$ROOT/benchmarks/soak/plot.py" "$OUT" "$ROOT/docs/soak.png"
echo "summary: $OUT/summary.json, plot: docs/soak.png"
