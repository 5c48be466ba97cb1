#!/usr/bin/env bash
# Builds release products of the package the one way every script here does, so that they share
# one .build/release (a different flag set rebuilds every module):
#   scripts/build-release.sh [PRODUCT…]     (default: jina)
# Release builds turn off the runtime exclusivity checks (`-enforce-exclusivity=unchecked`, in
# every module, SwiftNIO's included): they were 14 % of the gateway's instructions per request
# (docs/performance.md). Debug builds — what the tests run — keep them, so a conflicting access
# is still caught there; the compile-time checks stay on everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || set -- jina
for product in "$@"; do
  swift build -c release -Xswiftc -enforce-exclusivity=unchecked --product "$product"
done
