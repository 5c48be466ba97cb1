#!/usr/bin/env bash
# Installs what the `jina hub` tests need, when it is missing:
#   - Debian's docker-registry (the CNCF distribution registry, /usr/bin/docker-registry), which
#     the tests start themselves on a loopback port (Tests/Python/hub_registry.py); the systemd
#     service the package enables is neither needed nor relied on;
#   - apache2-utils, for `htpasswd -B` (bcrypt entries, the only kind the registry accepts);
#   - the PyPI `oras` client, pinned, in the reference venv (scripts/reference-venv.sh), which the
#     tests use as an independent OCI client to push and pull artifacts.
# Idempotent and quiet when everything is present. Needs root (or sudo) only to install.
#   JINA_REF_VENV   the reference venv (default: whatever scripts/reference-venv.sh prints)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ORAS_VERSION=0.2.43

need=()
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}" >&2
  # docker-registry's postinst enables and starts its service where systemd runs (port 5000);
  # without systemd (containers, CI) it just skips that. The tests start their own registry.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
  }
fi

# The reference venv: reuse the given one, else let reference-venv.sh make or find it (its last
# line is the path).
VENV="${JINA_REF_VENV:-}"
if [ -z "$VENV" ] || [ ! -x "$VENV/bin/python" ]; then
  VENV="$("$ROOT/scripts/reference-venv.sh" | tail -n 1)"
fi

installed="$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("oras"))' 2>/dev/null || true)"
if [ "$installed" != "$ORAS_VERSION" ]; then
  echo "installing: oras==$ORAS_VERSION into $VENV" >&2
  "$VENV/bin/pip" install -q "oras==$ORAS_VERSION" >&2
fi
