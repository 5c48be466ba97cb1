#!/usr/bin/env bash
# The encoders against the same models in Python, in one run (issue #14): `model-benchmark`
# (release build) then benchmarks/models/reference.py in the venv of scripts/models-venv.sh, on
# the same texts and JPEG photos (made here once, in .bench/model-data). One ONNX Runtime thread
# on both sides, so the model's own time is the same and the difference is what surrounds it.
# The numbers go to docs/performance.md by hand.
#   benchmarks/models/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
"$ROOT/scripts/install-models.sh"
PYTHON="$("$ROOT/scripts/models-venv.sh" | tail -n 1)"
MODELS="${JINA_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/jina/models}"
DATA="$ROOT/.bench/model-data"
if [ ! -f "$DATA/texts.txt" ]; then
  mkdir -p "$DATA/images"
  "$PYTHON" - "$DATA" <<'PY'
import sys
import numpy as np
from PIL import Image
folder = sys.argv[1]
rng = np.random.default_rng(5)
words = "red blue black white leather cotton wool denim summer winter dress shirt boots jacket scarf sneakers bag " \
        "with dots stripes zip pockets slim loose long short classic vintage for women men kids".split()
with open(f"{folder}/texts.txt", "w") as handle:
    for _ in range(320):
        handle.write(" ".join(rng.choice(words, size=rng.integers(4, 16))).capitalize() + "\n")
for index in range(97):
    y, x = np.mgrid[0:480, 0:640]
    picture = np.stack([np.sin(x / (15 + index % 20)) * 120 + 128, np.cos(y / 30.0 + index) * 100 + 128,
                        rng.uniform(0, 255) * np.exp(-((x - 320) ** 2 + (y - 240) ** 2) / 40000.0)], axis=-1)
    Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8)).save(f"{folder}/images/photo{index:03d}.jpg", quality=90)
PY
fi
(cd "$ROOT" && scripts/build-release.sh model-benchmark >/dev/null)
echo "== jina (Swift, in process)"
"$ROOT/.build/release/model-benchmark" "$DATA"
echo "== Python: onnxruntime, tokenizers, PIL"
"$PYTHON" "$ROOT/benchmarks/models/reference.py" "$DATA" "$MODELS"
