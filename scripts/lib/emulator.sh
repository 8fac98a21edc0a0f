# shellcheck shell=bash
# Starting ajuste-emulator from a script (the quickstart, tests). Source it.
#
# Set the EXIT trap before starting, so an interrupted wait still stops the emulator:
#   trap stop_emulator EXIT
#   start_emulator build/bin/ajuste-emulator "$out" "$log" 100 || { echo "did not start" >&2; exit 1; }
#   ... "$emulator_url" ...

# start_emulator BINARY OUT_FILE LOG_FILE TRIES [EMULATOR_OPTION...]
# Starts BINARY on 127.0.0.1 with port 0: it picks a free port and prints its address on the
# first line of its output (OUT_FILE; its log goes to LOG_FILE). Sets emulator_pid at once, then
# waits up to TRIES x 50 ms for that address and sets emulator_url to it ("http://127.0.0.1:PORT").
# Returns 1, with emulator_url empty, when the address did not come in time.
start_emulator() {
  local binary=$1 out=$2 log=$3 tries=$4
  shift 4
  "$binary" --host 127.0.0.1 --port 0 "$@" >"$out" 2>"$log" &
  emulator_pid=$!
  emulator_url=""
  for _ in $(seq 1 "$tries"); do
    emulator_url=$(grep -o 'http://[0-9.:]*' "$out" | head -n 1 || true)
    [ -n "$emulator_url" ] && return 0
    sleep 0.05
  done
  return 1
}

# stop_emulator: stops the emulator start_emulator started, if any (for an EXIT trap).
stop_emulator() {
  [ -n "${emulator_pid:-}" ] || return 0
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
}
