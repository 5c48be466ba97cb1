#!/usr/bin/env bash
# Sets up a fresh machine and runs the hello-world Flow: installs the Debian build deps if missing,
# builds `jina` in release mode and serves flows/hello.yml (gRPC on port 12345) until Ctrl-C.
# Send it documents from another shell, e.g. with the Python Jina client:
#   Client(host="grpc://127.0.0.1:12345").post("/", DocList[TextDoc]([TextDoc(), TextDoc()]))
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
scripts/build-release.sh jina
exec .build/release/jina flow --uses flows/hello.yml "$@"
