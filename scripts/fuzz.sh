#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (swiftc -sanitize=fuzzer,address), in .build-fuzz/.
# Each target is Tests/Fuzz/targets/TARGET.swift (an LLVMFuzzerTestOneInput) compiled against
# the library modules it needs, themselves compiled here with the fuzzer's coverage; its
# corpus is Tests/Fuzz/corpus/TARGET/ (committed; new findings are added there).
#   scripts/fuzz.sh --list                          the targets
#   scripts/fuzz.sh TARGET [--seconds S | --runs N] build and fuzz one (default 60 s)
#   scripts/fuzz.sh --replay                        every target over its committed corpus once
#                                                   (-runs=0; what CI runs: never a new random input)
# Leak detection is off: Swift's lazy globals are allocated once and kept on purpose.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/.build-fuzz"
TARGETS=(flow-yaml json-document data-request-scan when-filter target-pattern)
# Sources of other modules compiled into a target with it (they need nothing beyond JinaCore).
declare -A EXTRA=(
  [data-request-scan]="Sources/JinaGateway/Routing/DocumentIDScan.swift"
  [when-filter]="Sources/JinaGateway/Routing/WhenFilter.swift Sources/JinaGateway/Routing/FieldValue.swift Sources/JinaGateway/GatewayError.swift"
  [target-pattern]="Sources/JinaGateway/Routing/TargetPattern.swift"
)
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

# The library modules, in dependency order, as static libraries with the fuzzer's coverage.
build_modules() {
  mkdir -p "$OUT"
  local module
  for module in JinaYAML JinaCore; do
    local sources=()
    mapfile -t sources < <(find "$ROOT/Sources/$module" -name '*.swift' | sort)
    local newest
    newest="$(ls -t "${sources[@]}" | head -n 1)"
    if [ ! -f "$OUT/lib$module.a" ] || [ "$newest" -nt "$OUT/lib$module.a" ]; then
      swiftc -sanitize=fuzzer,address -parse-as-library -emit-library -static -emit-module \
        -module-name "$module" -I "$OUT" -I "$ROOT/Sources/CLibYAML" "${sources[@]}" \
        -o "$OUT/lib$module.a" -emit-module-path "$OUT/$module.swiftmodule"
    fi
  done
}

build_target() {
  local extra=()
  for file in ${EXTRA[$1]:-}; do extra+=("$ROOT/$file"); done
  # gold warns once per sanitizer helper symbol it cannot export; nothing to act on.
  swiftc -sanitize=fuzzer,address -parse-as-library -module-name "fuzz_${1//-/_}" -I "$OUT" -I "$ROOT/Sources/CLibYAML" \
    "$ROOT/Tests/Fuzz/targets/$1.swift" "${extra[@]}" "$OUT/libJinaCore.a" "$OUT/libJinaYAML.a" -lyaml -o "$OUT/fuzz-$1" \
    2> >(grep -v "Cannot export local symbol" >&2)
}

known() {
  local target
  for target in "${TARGETS[@]}"; do [ "$target" = "$1" ] && return 0; done
  echo "unknown target $1; targets: ${TARGETS[*]}" >&2
  exit 2
}

case "${1:-}" in
  --list)
    printf '%s\n' "${TARGETS[@]}" ;;
  --replay)
    build_modules
    for target in "${TARGETS[@]}"; do
      build_target "$target"
      if ! "$OUT/fuzz-$target" -runs=0 "$ROOT/Tests/Fuzz/corpus/$target" >"$OUT/replay-$target.log" 2>&1; then
        cat "$OUT/replay-$target.log" >&2
        echo "fuzz corpus replay failed: $target (see above)" >&2
        exit 1
      fi
      echo "$target: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$OUT/replay-$target.log" | tail -n 1)"
    done ;;
  ""|-*)
    echo "usage: scripts/fuzz.sh --list | --replay | TARGET [--seconds S | --runs N]" >&2
    exit 2 ;;
  *)
    target="$1"; shift
    known "$target"
    limit=(-max_total_time=60)
    case "${1:-}" in
      --seconds) limit=(-max_total_time="$2") ;;
      --runs) limit=(-runs="$2") ;;
      "") ;;
      *) echo "usage: scripts/fuzz.sh TARGET [--seconds S | --runs N]" >&2; exit 2 ;;
    esac
    build_modules
    build_target "$target"
    mkdir -p "$OUT/artifacts/$target"
    cd "$OUT/artifacts/$target"
    "$OUT/fuzz-$target" "${limit[@]}" -max_len=4096 -timeout=10 "$ROOT/Tests/Fuzz/corpus/$target" ;;
esac
