#!/usr/bin/env bash
# Sets up a fresh machine and runs the hello-world Flow: installs libyaml-dev if missing,
# builds `jina` in release mode and starts flows/hello.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
swift build -c release --product jina
exec .build/release/jina flow --uses flows/hello.yml --validate "$@"
