# Shared by the bench/*/run.sh scripts (sourced, not run): a Release build of ajuste, a writable
# copy of the shared peers, and a timer that records wall seconds and peak RSS per contender.
# Expects: repo, shared, work, bytes (for MB/s, set before timing).

# The results of an earlier invocation are not this one's.
rm -f "$work"/*.wall "$work"/*.rss

# benchBuild: builds ajuste (Release, no tests) in $work/build and sets $ajuste.
benchBuild() {
  local build=$work/build
  echo "== building ajuste (Release) in $build"
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJUSTE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" >/dev/null
  ajuste=$build/bin/ajuste
}

# benchPeers [NPM_PACKAGE]: copies ../shared/bench to $work/peers (it is read-only) and, when the
# peer needs one, installs its npm dependencies; sets $peers.
benchPeers() {
  peers=$work/peers
  local needs=${1:-}
  if [ ! -f "$peers/package.json" ] || { [ -n "$needs" ] && [ ! -d "$peers/node_modules/$needs" ]; }; then
    rm -rf "$peers" && mkdir -p "$peers"
    cp -r "$shared/bench/." "$peers/" && chmod -R u+w "$peers"
    if [ -n "$needs" ]; then
      echo "== npm ci of the shared bench into $peers"
      (cd "$peers" && npm ci --no-audit --no-fund >/dev/null)
    fi
  fi
}

# benchRun NAME COMMAND...: wall seconds and peak RSS (KiB) from GNU time; the command's output
# is kept in $work/NAME.out. The load average is printed: on a shared machine it skews a run.
benchRun() {
  local name=$1; shift
  local load wall rss user sys status=0
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %M %U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || status=$?
  if [ "$status" -ne 0 ]; then
    # Not always a failure (a checker exits 1 on a dataset with defects, by design), but never
    # silent: the reader decides whether the row counts.
    echo "$name: exited with status $status; the end of $work/$name.err:"
    tail -n 3 "$work/$name.err" | sed 's/^/    /'
  fi
  # GNU time puts "Command exited with non-zero status N" first when the command fails: the
  # numbers are on the last line.
  read -r wall rss user sys < <(tail -n 1 "$work/$name.time")
  # User and system CPU seconds are printed too: on this kind of VM the system time of filling
  # the page cache varies from run to run far more than the work does (docs/engine.md).
  awk -v n="$name" -v b="$bytes" -v w="$wall" -v r="$rss" -v l="$load" -v u="$user" -v s="$sys" \
    'BEGIN { printf "%-18s %8.2f s %9.2f MB/s %8.1f MiB peak RSS   %6.2f s user %6.2f s sys   (load before: %s)\n", n, w, b / 1e6 / w, r / 1024, u, s, l }'
  # A contender run more than once (bench/prepare's ROUNDS) counts with its fastest run, and
  # with the largest peak RSS of all its runs (the memory bound must hold for every one).
  if [ ! -f "$work/$name.wall" ] || awk -v n="$wall" -v o="$(cat "$work/$name.wall")" 'BEGIN { exit !(n < o) }'; then
    echo "$wall" >"$work/$name.wall"
  fi
  if [ ! -f "$work/$name.rss" ] || [ "$rss" -gt "$(cat "$work/$name.rss")" ]; then
    echo "$rss" >"$work/$name.rss"
  fi
}

# benchVerdict PEER: each ajuste contender's ratio to PEER, and whether the goal holds
# (2 threads >= 10x the peer, peak RSS <= 256 MiB).
benchVerdict() {
  local peer_wall
  peer_wall=$(cat "$work/$1.wall")
  for name in ajuste-1-thread ajuste-2-threads; do
    awk -v n="$name" -v p="$peer_wall" -v o="$(cat "$work/$name.wall")" 'BEGIN { printf "%-18s %.1fx the peer\n", n, p / o }'
  done
  awk -v p="$peer_wall" -v o="$(cat "$work/ajuste-2-threads.wall")" -v r="$(cat "$work/ajuste-2-threads.rss")" 'BEGIN {
    ok = p / o >= 10 && r / 1024 <= 256
    printf "goal (2 threads >= 10x the peer, peak RSS <= 256 MiB): %s (%.1fx, %.1f MiB)\n", ok ? "met" : "NOT met", p / o, r / 1024 }'
}
