#!/usr/bin/env bash
# Creates (or reuses) the Python venv that computes reference results for the model executors'
# tests (issue #14): onnxruntime (the same release jina loads), Hugging Face `tokenizers` (the
# reference WordPiece tokenizer), numpy and Pillow. Idempotent. The last line printed is the
# venv's python.
#   JINA_MODELS_VENV   venv path (default ${XDG_CACHE_HOME:-$HOME/.cache}/jina-models-venv)
set -euo pipefail
VENV="${JINA_MODELS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/jina-models-venv}"
REQUIREMENTS=(onnxruntime==1.32.0 tokenizers==0.23.3 numpy==2.4.6 pillow==13.0.0)
if ! "$VENV/bin/python" -c 'import onnxruntime, tokenizers, numpy, PIL' >/dev/null 2>&1; then
  mkdir -p "$(dirname "$VENV")"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install -q "${REQUIREMENTS[@]}" >&2
fi
echo "$VENV/bin/python"
