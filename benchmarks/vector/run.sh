#!/usr/bin/env bash
# Exact vector search, side by side in one run (issue #13): JinaVectorIndex in process
# (`vector-benchmark`, release build) against faiss-cpu IndexFlatIP (1 and 2 threads) and numpy
# on the same N x D random L2-normalised float32 vectors, k = 10; then HNSW against faiss
# IndexHNSWFlat on embedding-like data (hnsw_reference.py). Not a test: the numbers go to
# docs/vector-index.md by hand.
#   benchmarks/vector/run.sh [N=1000000] [D=128] [K=10] [QUERIES=200] [BATCH=100]
# Needs: Python 3 with venv; faiss-cpu and numpy are installed into .bench/vector-venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ARGS=("${1:-1000000}" "${2:-128}" "${3:-10}" "${4:-200}" "${5:-100}")
VENV="$ROOT/.bench/vector-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import faiss, numpy" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q numpy faiss-cpu
fi
(cd "$ROOT" && scripts/build-release.sh vector-benchmark >/dev/null)
echo "== JinaVectorIndex (exact, in process)"
"$ROOT/.build/release/vector-benchmark" "${ARGS[@]}"
echo "== numpy and faiss-cpu"
"$VENV/bin/python" "$ROOT/benchmarks/vector/reference.py" "${ARGS[@]}"
# HNSW on embedding-like data (1000 topics), the same files for both; HNSW_N vectors.
HNSW_N="${HNSW_N:-200000}"
DATA="$ROOT/.bench/vector-data"; mkdir -p "$DATA"
echo "== HNSW: faiss IndexHNSWFlat, then JinaVectorIndex (hnswlib), M=16 efConstruction=200"
"$VENV/bin/python" "$ROOT/benchmarks/vector/hnsw_reference.py" "$DATA" "$HNSW_N" "${ARGS[1]}"
"$ROOT/.build/release/vector-benchmark" hnsw "$DATA" "${ARGS[1]}"
