#!/usr/bin/env bash
# Writes bash, zsh and fish completions for `jina` into completions/, generated from the
# command definitions. With --check, fails when the committed files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${JINA_BINARY:-.build/debug/jina}"
[ -x "$bin" ] || swift build --product jina >/dev/null
out="completions"
if [ "${1:-}" = "--check" ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
"$bin" --generate-completion-script bash >"$out/jina.bash"
"$bin" --generate-completion-script zsh >"$out/_jina"
"$bin" --generate-completion-script fish >"$out/jina.fish"
if [ "${1:-}" = "--check" ]; then
  for f in jina.bash _jina jina.fish; do
    if ! cmp -s "$out/$f" "completions/$f"; then
      echo "completions/$f is stale: run scripts/generate-completions.sh and commit the result" >&2
      exit 1
    fi
  done
  echo "completions are up to date"
fi
