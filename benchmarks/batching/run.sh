#!/usr/bin/env bash
# Dynamic batching, ours and Python Jina 3.34's side by side in one run (issue #15); not a test.
# Builds the release binaries, then runs run.py in the reference venv.
#   benchmarks/batching/run.sh [SECONDS=8] [PREFERRED=8] [TIMEOUT_MS=5]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="$("$ROOT/scripts/reference-venv.sh" | tail -n 1)"
(cd "$ROOT" && scripts/build-release.sh jina batch-executor >/dev/null)
"$VENV/bin/python" "$ROOT/benchmarks/batching/run.py" "$ROOT/.build/release/jina" "$ROOT/.build/release/batch-executor" "$@"
