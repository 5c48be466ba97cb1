#!/usr/bin/env bash
# Installs the Swagger UI and ReDoc files the HTTP gateway's /docs and /redoc pages load (issue
# #15), from the pinned fastapi-offline wheel on PyPI with its sha256 checked. Nothing is fetched
# when a gateway runs; without these files /docs and /redoc show a small page of their own.
# Idempotent: a second run checks and exits.
#   scripts/install-api-docs.sh [FOLDER]
# FOLDER defaults to $JINA_API_DOCS, else ~/.cache/jina/api-docs (where the gateway looks):
#   swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png
set -euo pipefail
DEST="${1:-${JINA_API_DOCS:-$HOME/.cache/jina/api-docs}}"
FILES=(swagger-ui-bundle.js swagger-ui.css redoc.standalone.js favicon.png)
done_already=1
for file in "${FILES[@]}"; do [ -f "$DEST/$file" ] || done_already=0; done
[ "$done_already" = 1 ] && exit 0
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "install-api-docs.sh: needs python3 (with venv)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A throwaway venv brings its own pip (Debian's python3 may have none).
"$PYTHON" -m venv "$WORK/venv"
WHEEL=fastapi_offline-1.7.7-py3-none-any.whl
"$WORK/venv/bin/pip" download -q --no-deps --only-binary=:all: -d "$WORK" "fastapi-offline==1.7.7" >&2
echo "60c8399fd7d3e3b01510e14468709e3dea1a0e773ef920372d057392d736a1f9  $WORK/$WHEEL" | sha256sum -c --quiet - \
  || { echo "install-api-docs.sh: $WHEEL does not have the pinned sha256" >&2; exit 1; }
mkdir -p "$DEST"
"$PYTHON" - "$WORK/$WHEEL" "$DEST" "${FILES[@]}" <<'PY'
import os, shutil, sys, zipfile
wheel, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as archive:
    for name in names:
        with archive.open(f"fastapi_offline/static/{name}") as source, open(os.path.join(dest, name + ".tmp"), "wb") as target:
            shutil.copyfileobj(source, target)
        os.replace(os.path.join(dest, name + ".tmp"), os.path.join(dest, name))
PY
echo "installed Swagger UI and ReDoc into $DEST" >&2
