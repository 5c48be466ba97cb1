#!/usr/bin/env bash
# Runs the Swift test suites under a sanitizer, each in its own build folder (not CI: the builds
# take 7–15 minutes on 2 cores). docs/reliability.md records what they found.
#   scripts/sanitizers.sh address   AddressSanitizer (.build-asan); leak detection off (Swift's
#                                   runtime keeps metadata caches alive on purpose)
#   scripts/sanitizers.sh thread    ThreadSanitizer (.build-tsan); see docs/reliability.md for why
#                                   its reports on `Mutex.withLock` bodies are not races
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  address)
    swift build --build-tests --sanitize=address --scratch-path .build-asan
    ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
      swift test --skip-build --sanitize=address --scratch-path .build-asan ;;
  thread)
    swift build --build-tests --sanitize=thread --scratch-path .build-tsan
    TSAN_OPTIONS="halt_on_error=0${TSAN_OPTIONS:+:$TSAN_OPTIONS}" \
      swift test --skip-build --sanitize=thread --scratch-path .build-tsan ;;
  *)
    echo "usage: scripts/sanitizers.sh address|thread" >&2
    exit 2 ;;
esac
