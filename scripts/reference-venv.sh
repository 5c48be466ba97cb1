#!/usr/bin/env bash
# Creates (or reuses) the Python Jina 3.34 reference venv used by the interop material in
# Tests/Interop/ (descriptor comparison, fixture generation, live interop peers). Idempotent:
# when "$VENV/bin/jina" exists and `import jina` works, nothing is installed.
#   JINA_REF_VENV   venv path (default ${XDG_CACHE_HOME:-$HOME/.cache}/jina-reference-venv)
#   PYTHON          interpreter used to create the venv (default python3)
# The last line printed is the venv path.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REQS="$ROOT/Tests/Interop/reference-requirements.txt"
VENV="${JINA_REF_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/jina-reference-venv}"
export JINA_OPTOUT_TELEMETRY=1

venv_ok() {
  [ -x "$VENV/bin/jina" ] && "$VENV/bin/python" -c 'import jina' >/dev/null 2>&1
}

if ! venv_ok; then
  mkdir -p "$(dirname "$VENV")"
  [ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
  # The pinned set is known to work: Jina 3.34.0 crashes with today's pydantic and
  # prometheus_client, and the resolver can fail on it unpinned.
  "$VENV/bin/pip" install -q -r "$REQS" >&2
fi

# grpcio-tools (protoc + Python codegen for Tests/Interop/compare_descriptors.py) is not in the
# pinned set; install the release matching the pinned grpcio (it also fits protobuf 5.29.x).
if ! "$VENV/bin/python" -c 'import grpc_tools.protoc' >/dev/null 2>&1; then
  GRPCIO_VERSION="$(sed -n 's/^grpcio==//p' "$REQS")"
  "$VENV/bin/pip" install -q "grpcio-tools==${GRPCIO_VERSION}" "protobuf==$(sed -n 's/^protobuf==//p' "$REQS")" >&2
fi

# What the Python-side suites need (Tests/Python/requirements.txt), installed again whenever
# that file changes (a stamp in the venv holds the hash of the last installed copy).
TEST_REQS="$ROOT/Tests/Python/requirements.txt"
STAMP="$VENV/.jina-test-requirements.sha256"
if [ "$(sha256sum < "$TEST_REQS")" != "$(cat "$STAMP" 2>/dev/null)" ]; then
  "$VENV/bin/pip" install -q -r "$TEST_REQS" >&2
  sha256sum < "$TEST_REQS" > "$STAMP"
fi

# distribution versions (docarray 0.41.0 reports __version__ "0.40.1")
"$VENV/bin/python" -c 'from importlib.metadata import version as v; print("reference venv:", *(f"{p}=={v(p)}" for p in ("jina", "docarray", "grpcio", "grpcio-tools", "protobuf")))' >&2
echo "$VENV"
