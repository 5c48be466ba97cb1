#!/usr/bin/env bash
# Regenerates the Swift protobuf messages and grpc-swift-2 stubs in Sources/JinaProto/Generated/
# from the .proto files in Sources/JinaProto/Protos/, and records the tool versions in
# Sources/JinaProto/VERSIONS.md. The generated code is committed; CI does not run this.
#
# The two protoc plugins are built once, at the versions pinned below (they must match the
# runtimes pinned `exact:` in Package.swift), into
#   JINA_PROTOC_PLUGINS (default ${XDG_CACHE_HOME:-$HOME/.cache}/jina-protoc-plugins)
# Needs `protoc` and the well-known types (apt-get install protobuf-compiler libprotobuf-dev).
set -euo pipefail

SWIFT_PROTOBUF_VERSION=1.39.0        # apple/swift-protobuf       -> protoc-gen-swift
GRPC_SWIFT_PROTOBUF_VERSION=2.4.1    # grpc/grpc-swift-protobuf   -> protoc-gen-grpc-swift-2
GRPC_SWIFT_2_VERSION=2.4.3           # grpc/grpc-swift-2 (GRPCCodeGen, linked into the gRPC plugin)

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROTO_DIR="$ROOT/Sources/JinaProto/Protos"
OUT_DIR="$ROOT/Sources/JinaProto/Generated"
VERSIONS_MD="$ROOT/Sources/JinaProto/VERSIONS.md"
CACHE="${JINA_PROTOC_PLUGINS:-${XDG_CACHE_HOME:-$HOME/.cache}/jina-protoc-plugins}"

command -v protoc >/dev/null || { echo "error: protoc not found (apt-get install protobuf-compiler libprotobuf-dev)" >&2; exit 1; }

# Directory holding google/protobuf/{struct,timestamp,empty}.proto.
WKT_INCLUDE=""
for dir in "${PROTOC_INCLUDE:-}" /usr/include /usr/local/include "$(dirname "$(command -v protoc)")/../include"; do
  if [ -n "$dir" ] && [ -f "$dir/google/protobuf/struct.proto" ]; then WKT_INCLUDE="$dir"; break; fi
done
[ -n "$WKT_INCLUDE" ] || { echo "error: google/protobuf/struct.proto not found (apt-get install libprotobuf-dev, or set PROTOC_INCLUDE)" >&2; exit 1; }

# build_plugin REPO_URL TAG PRODUCT [PIN_PACKAGE=VERSION ...]
# Prints the path of the built plugin binary. GitHub URLs may be rewritten to a local mirror by
# git's url.<base>.insteadOf configuration; nothing here depends on that.
build_plugin() {
  local url="$1" tag="$2" product="$3"; shift 3
  local name; name="$(basename "$url" .git)"
  local bin="$CACHE/bin/$product-$tag"
  if [ ! -x "$bin" ]; then
    local src="$CACHE/src/$name-$tag"
    if [ ! -d "$src/.git" ]; then
      rm -rf "$src"; mkdir -p "$CACHE/src"
      git -c advice.detachedHead=false clone -q --branch "$tag" "$url" "$src" >&2
    fi
    local pin
    for pin in "$@"; do
      (cd "$src" && swift package resolve "${pin%%=*}" --version "${pin#*=}" >&2)
    done
    echo "building $product $tag (a few minutes, once)..." >&2
    (cd "$src" && nice -n 10 swift build -c release --product "$product" >&2)
    mkdir -p "$CACHE/bin"
    cp "$(cd "$src" && swift build -c release --show-bin-path)/$product" "$bin.tmp"
    mv "$bin.tmp" "$bin"
  fi
  echo "$bin"
}

SWIFT_PLUGIN="$(build_plugin https://github.com/apple/swift-protobuf.git "$SWIFT_PROTOBUF_VERSION" protoc-gen-swift)"
GRPC_PLUGIN="$(build_plugin https://github.com/grpc/grpc-swift-protobuf.git "$GRPC_SWIFT_PROTOBUF_VERSION" protoc-gen-grpc-swift-2 \
  "grpc-swift-2=$GRPC_SWIFT_2_VERSION" "swift-protobuf=$SWIFT_PROTOBUF_VERSION")"

mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/*.pb.swift "$OUT_DIR"/*.grpc.swift

PROTOS=()
while IFS= read -r f; do PROTOS+=("$f"); done < <(cd "$PROTO_DIR" && ls *.proto | LC_ALL=C sort)

(cd "$PROTO_DIR" && protoc \
  -I . -I "$WKT_INCLUDE" \
  --plugin=protoc-gen-swift="$SWIFT_PLUGIN" \
  --plugin=protoc-gen-grpc-swift-2="$GRPC_PLUGIN" \
  --swift_opt=Visibility=Public,UseAccessLevelOnImports=true \
  --swift_out="$OUT_DIR" \
  --grpc-swift-2_opt=Visibility=Public,UseAccessLevelOnImports=true \
  --grpc-swift-2_out="$OUT_DIR" \
  "${PROTOS[@]}")

# protoc-gen-grpc-swift-2 writes a comment-only file for protos without services: drop it.
for f in "$OUT_DIR"/*.grpc.swift; do
  if grep -q '^// This file contained no services\.$' "$f"; then rm -f "$f"; fi
done

PROTOC_VERSION="$(protoc --version)"
cat > "$VERSIONS_MD" <<MD
# Code generation tool versions

\`Generated/\` is produced by \`scripts/generate-proto.sh\` from \`Protos/*.proto\`; do not edit it
by hand. Regenerate after changing a .proto and commit the result. The runtimes in Package.swift
are pinned \`exact:\` to the versions the plugins come from (generated code checks the runtime API
version).

| tool | version |
|---|---|
| protoc | ${PROTOC_VERSION#libprotoc } (\`$(command -v protoc)\`, well-known types from \`$WKT_INCLUDE\`) |
| protoc-gen-swift | swift-protobuf $SWIFT_PROTOBUF_VERSION |
| protoc-gen-grpc-swift-2 | grpc-swift-protobuf $GRPC_SWIFT_PROTOBUF_VERSION (built against grpc-swift-2 $GRPC_SWIFT_2_VERSION, swift-protobuf $SWIFT_PROTOBUF_VERSION) |
| Swift toolchain used to build the plugins | $(swift --version 2>/dev/null | head -1 | sed 's/^.*Swift version \([^ ]*\).*$/\1/') |

Options: \`--swift_opt=Visibility=Public,UseAccessLevelOnImports=true\`,
\`--grpc-swift-2_opt=Visibility=Public,UseAccessLevelOnImports=true\`.
MD

echo "generated:" >&2
ls -1 "$OUT_DIR" >&2
