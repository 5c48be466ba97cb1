#!/usr/bin/env bash
# Creates (or reuses) the two venvs that check `jina export` output (Tests/Python/test_export.py):
#   * kubernetes-validate (needs a newer jsonschema than the reference venv pins);
#   * docker-compose 1.29.2 (needs PyYAML 5.4.1 built with cython<3 and no build isolation,
#     and requests<2.32 / urllib3<2, which conflict with everything else).
# Idempotent: a venv whose tool already runs is left alone. Both live under
# ${XDG_CACHE_HOME:-$HOME/.cache}. Prints two lines, the tools' paths:
#   KUBERNETES_VALIDATE=/…/bin/kubernetes-validate
#   DOCKER_COMPOSE=/…/bin/docker-compose
set -euo pipefail
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"
KV_VENV="${JINA_KV_VENV:-$CACHE/jina-kubernetes-validate-venv}"
DC_VENV="${JINA_COMPOSE_VENV:-$CACHE/jina-docker-compose-venv}"
PY="${PYTHON:-python3}"

if ! "$KV_VENV/bin/kubernetes-validate" --version >/dev/null 2>&1; then
  [ -x "$KV_VENV/bin/python" ] || "$PY" -m venv "$KV_VENV"
  "$KV_VENV/bin/pip" install -q "kubernetes-validate==1.37.0" >&2
fi

if ! "$DC_VENV/bin/docker-compose" version >/dev/null 2>&1; then
  [ -x "$DC_VENV/bin/python" ] || "$PY" -m venv "$DC_VENV"
  # PyYAML 5.4.1 has no wheel for current Pythons and its build breaks with Cython 3.
  "$DC_VENV/bin/pip" install -q "cython<3" "setuptools<80" wheel >&2
  "$DC_VENV/bin/pip" install -q --no-build-isolation "PyYAML==5.4.1" >&2
  "$DC_VENV/bin/pip" install -q "docker-compose==1.29.2" "requests<2.32" "urllib3<2" >&2
fi

echo "KUBERNETES_VALIDATE=$KV_VENV/bin/kubernetes-validate"
echo "DOCKER_COMPOSE=$DC_VENV/bin/docker-compose"
