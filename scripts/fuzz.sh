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
TARGETS=(flow-yaml json-document data-request-scan when-filter target-pattern image-decode json-lines index-log data-request-decode document-wire hub-layer http-json-request websocket-message)
# Sources of other modules compiled into a target with it (they need nothing beyond JinaCore).
declare -A EXTRA=(
  [data-request-scan]="Sources/JinaGateway/Routing/DocumentIDScan.swift Sources/JinaProto/Wire/WireReader.swift"
  [when-filter]="Sources/JinaGateway/Routing/WhenFilter.swift Sources/JinaGateway/Routing/FieldValue.swift Sources/JinaGateway/GatewayError.swift"
  [target-pattern]="Sources/JinaGateway/Routing/TargetPattern.swift"
  [hub-layer]="Sources/JinaHub/TarArchive.swift Sources/JinaHub/PackageManifest.swift Sources/JinaHub/HubError.swift"
  [http-json-request]="Sources/JinaProto/Generated/docarray.pb.swift Sources/JinaProto/Generated/jina.pb.swift Sources/JinaProto/Conversions/DataRequest.swift Sources/JinaProto/Conversions/DocValue+Proto.swift Sources/JinaProto/Conversions/Document+Proto.swift Sources/JinaProto/Conversions/ExecutorParameters.swift Sources/JinaProto/Conversions/JSONValue+Struct.swift Sources/JinaProto/Conversions/LazyDataRequest.swift Sources/JinaProto/Wire/WireReader.swift Sources/JinaProto/Wire/DocumentWireDecoder.swift Sources/JinaProto/Wire/DocumentWireEncoder.swift Sources/JinaGateway/Routing/DocumentIDScan.swift Sources/JinaGateway/Server/GatewayLimits.swift Sources/JinaGateway/Server/DocumentCount.swift Sources/JinaHTTPGateway/JSONDataRequest.swift Sources/JinaHTTPGateway/RequestProblem.swift"
  [websocket-message]="Sources/JinaProto/Generated/docarray.pb.swift Sources/JinaProto/Generated/jina.pb.swift Sources/JinaProto/Conversions/DataRequest.swift Sources/JinaProto/Conversions/DocValue+Proto.swift Sources/JinaProto/Conversions/Document+Proto.swift Sources/JinaProto/Conversions/ExecutorParameters.swift Sources/JinaProto/Conversions/JSONValue+Struct.swift Sources/JinaProto/Conversions/LazyDataRequest.swift Sources/JinaProto/Wire/WireReader.swift Sources/JinaProto/Wire/DocumentWireDecoder.swift Sources/JinaProto/Wire/DocumentWireEncoder.swift Sources/JinaGateway/Routing/DocumentIDScan.swift Sources/JinaGateway/Server/GatewayLimits.swift Sources/JinaGateway/Server/DocumentCount.swift Sources/JinaHTTPGateway/JSONDataRequest.swift Sources/JinaHTTPGateway/RequestProblem.swift Sources/JinaHTTPGateway/WebSocketMessage.swift"
  [data-request-decode]="Sources/JinaProto/Generated/docarray.pb.swift Sources/JinaProto/Generated/jina.pb.swift Sources/JinaProto/Conversions/DataRequest.swift Sources/JinaProto/Conversions/DocValue+Proto.swift Sources/JinaProto/Conversions/Document+Proto.swift Sources/JinaProto/Conversions/ExecutorParameters.swift Sources/JinaProto/Conversions/JSONValue+Struct.swift"
  [document-wire]="Sources/JinaProto/Generated/docarray.pb.swift Sources/JinaProto/Generated/jina.pb.swift Sources/JinaProto/Conversions/DataRequest.swift Sources/JinaProto/Conversions/DocValue+Proto.swift Sources/JinaProto/Conversions/Document+Proto.swift Sources/JinaProto/Conversions/ExecutorParameters.swift Sources/JinaProto/Conversions/JSONValue+Struct.swift Sources/JinaProto/Conversions/LazyDataRequest.swift Sources/JinaProto/Wire/WireReader.swift Sources/JinaProto/Wire/DocumentWireDecoder.swift Sources/JinaProto/Wire/DocumentWireEncoder.swift"
  [index-log]="Tests/Fuzz/support/FuzzFile.swift Sources/JinaVectorIndex/RecordLog.swift Sources/JinaVectorIndex/FileIO.swift Sources/JinaVectorIndex/VectorIndexError.swift Sources/JinaExecutors/VectorIndex/IndexChange.swift"
  [json-lines]="Tests/Fuzz/support/FuzzFile.swift Sources/JinaClient/JSONLinesReader.swift Sources/JinaClient/DocumentBatcher.swift Sources/JinaClient/ClientError.swift Sources/JinaClient/GatewayTarget.swift"
  [image-decode]="Sources/JinaModels/Image/DecodedImage.swift Sources/JinaModels/Image/ImageDecoder.swift Sources/JinaModels/Image/ImageError.swift Sources/JinaModels/Image/ImagePreprocessing.swift"
)
# C modules a target imports: compiled with clang's fuzzer coverage and ASan, and given a module
# map so that Swift can import them as SwiftPM does.
declare -A CMODULES=(
  [image-decode]="CJinaImage"
)
# Package dependencies a target needs, built here with the fuzzer's coverage from SwiftPM's
# checkouts (`swift build` fetches them first).
declare -A PACKAGES=(
  [data-request-decode]="SwiftProtobuf"
  [document-wire]="SwiftProtobuf"
  [http-json-request]="SwiftProtobuf"
  [websocket-message]="SwiftProtobuf"
)
# Modules the EXTRA sources import but whose needed parts are compiled into the target itself
# (the rest of them needs grpc-swift or Hummingbird): each becomes an empty module here so that
# `import JinaProto` compiles.
declare -A STUBS=(
  [data-request-scan]="JinaProto"
  [http-json-request]="JinaProto JinaGateway"
  [websocket-message]="JinaProto JinaGateway"
)
declare -A PACKAGE_SOURCES=(
  [SwiftProtobuf]=".build/checkouts/swift-protobuf/Sources/SwiftProtobuf"
)
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

# One Swift module as a static library with the fuzzer's coverage, rebuilt when a source is newer.
build_module() {
  local module="$1" folder="$2"
  shift 2
  local sources=()
  mapfile -t sources < <(find "$folder" -name '*.swift' | sort)
  [ "${#sources[@]}" -gt 0 ] || { echo "no Swift sources in $folder (run swift build first)" >&2; exit 1; }
  # (No `ls -t | head` here: with pipefail, ls's SIGPIPE once a long list outran head ended the
  # whole script with status 141.)
  if [ ! -f "$OUT/lib$module.a" ] || [ -n "$(find "$folder" -name '*.swift' -newer "$OUT/lib$module.a" -print -quit)" ]; then
    swiftc -sanitize=fuzzer,address -parse-as-library -emit-library -static -emit-module \
      -module-name "$module" -I "$OUT" -I "$ROOT/Sources/CLibYAML" "$@" "${sources[@]}" \
      -o "$OUT/lib$module.a" -emit-module-path "$OUT/$module.swiftmodule"
  fi
}

# The library modules every target links, in dependency order.
build_modules() {
  mkdir -p "$OUT"
  local module
  # `package` declarations (Document.origin) need one package name across the modules.
  for module in JinaYAML JinaDocument JinaCore; do build_module "$module" "$ROOT/Sources/$module" -package-name jina; done
}

# A C module of Sources/: its objects (with the fuzzer's coverage) and a module map.
build_c_module() {
  local module="$1" dir="$OUT/c/$1"
  mkdir -p "$dir"
  printf 'module %s {\n  header "%s"\n  export *\n}\n' "$module" "$ROOT/Sources/$module/include/$module.h" >"$dir/module.modulemap"
  local source
  for source in "$ROOT/Sources/$module"/*.c; do
    local object="$dir/$(basename "$source" .c).o"
    if [ ! -f "$object" ] || [ "$source" -nt "$object" ] || [ "$ROOT/Sources/$module/include/$module.h" -nt "$object" ]; then
      clang -fsanitize=fuzzer-no-link,address -O1 -g -I "$ROOT/Sources/$module/include" -c "$source" -o "$object"
    fi
  done
}

build_target() {
  local extra=() cflags=() objects=()
  for file in ${EXTRA[$1]:-}; do extra+=("$ROOT/$file"); done
  for package in ${PACKAGES[$1]:-}; do
    # `package` declarations need the package's name, as SwiftPM passes it.
    build_module "$package" "$ROOT/${PACKAGE_SOURCES[$package]}" -package-name "$package"
    objects+=("$OUT/lib$package.a")
  done
  # With stand-ins, `public import` of them warns as unused in every replay: nothing to act on.
  [ -z "${STUBS[$1]:-}" ] || cflags+=(-suppress-warnings)
  for stub in ${STUBS[$1]:-}; do
    if [ ! -f "$OUT/$stub.swiftmodule" ]; then
      printf '// An empty stand-in (scripts/fuzz.sh STUBS).\n' >"$OUT/stub-$stub.swift"
      swiftc -parse-as-library -emit-module -module-name "$stub" "$OUT/stub-$stub.swift" -o "$OUT/$stub.swiftmodule"
    fi
  done
  for module in ${CMODULES[$1]:-}; do
    build_c_module "$module"
    cflags+=(-Xcc -fmodule-map-file="$OUT/c/$module/module.modulemap")
    objects+=("$OUT/c/$module"/*.o)
  done
  # gold warns once per sanitizer helper symbol it cannot export; nothing to act on.
  swiftc -sanitize=fuzzer,address -parse-as-library -module-name "fuzz_${1//-/_}" -package-name jina -I "$OUT" -I "$ROOT/Sources/CLibYAML" \
    "${cflags[@]}" "$ROOT/Tests/Fuzz/targets/$1.swift" "${extra[@]}" "${objects[@]}" "$OUT/libJinaCore.a" "$OUT/libJinaDocument.a" "$OUT/libJinaYAML.a" \
    -lyaml -ldl -lm -o "$OUT/fuzz-$1" 2> >(grep -v "Cannot export local symbol" >&2)
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
