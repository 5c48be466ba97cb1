# Sourced by scripts/hang-hunt.sh and scripts/crash-hunt.sh: what both set up before their runs.
#   start_contention NAME   sets CRASHES (a folder every Swift process writes its crash report
#                           into, through SWIFT_BACKTRACE), LOGS (a folder for the runs' output)
#                           and `busy` (one busy loop per core, running); stop_contention ends them.
start_contention() {
  CRASHES="$(mktemp -d "${TMPDIR:-/tmp}/jina-crashes.XXXXXX")"
  LOGS="$(mktemp -d "${TMPDIR:-/tmp}/jina-$1.XXXXXX")"
  export SWIFT_BACKTRACE="enable=yes,interactive=no,output-to=$CRASHES"
  busy=()
  for _ in $(seq "$(nproc)"); do
    ( while :; do :; done ) &
    busy+=($!)
  done
}

stop_contention() {
  kill "${busy[@]}" 2>/dev/null || true
}
