#!/usr/bin/env bash
# `ajuste check` end to end vs the Node peer doing the same job (peer-validate.mjs: stream,
# parse, check the chat format, count tokens with tiktoken's WASM build), same corpus, same run.
# Reports MB/s (input bytes / 10^6 / wall seconds), peak RSS, the ratio to the peer, and whether
# issue 4's goal holds (2 threads >= 10x the peer, peak RSS <= 256 MiB). The load average is
# printed before each contender: on a shared machine, other work skews a run.
#
#   bench/check/run.sh [MB=1024] [ENCODING_MODEL=gpt-4o-mini-2024-07-18]
#
# Env: WORK_DIR (default /tmp/ajuste-check-bench), AJUSTE_SHARED_DIR (holds bench/, default ../shared).
set -euo pipefail
mb=${1:-1024}
model=${2:-gpt-4o-mini-2024-07-18}
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${AJUSTE_SHARED_DIR:-$repo/../shared}
work=${WORK_DIR:-/tmp/ajuste-check-bench}
build=$work/build
mkdir -p "$work"

echo "== building ajuste (Release) in $build"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJUSTE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
ajuste=$build/bin/ajuste

peers=$work/peers
if [ ! -d "$peers/node_modules/tiktoken" ]; then
  echo "== npm ci of the shared bench into $peers"
  rm -rf "$peers" && mkdir -p "$peers"
  cp -r "$shared/bench/." "$peers/" && chmod -R u+w "$peers"
  (cd "$peers" && npm ci --no-audit --no-fund >/dev/null)
fi

corpus=$work/chat${mb}.jsonl
if [ ! -f "$corpus" ]; then
  echo "== generating $corpus (${mb} MiB, chat, 1% defects)"
  node "$peers/gen-corpus.mjs" --mb "$mb" --seed 2 --bad-rate 0.01 --out "$corpus" >/dev/null
fi
bytes=$(wc -c <"$corpus")
cat "$corpus" >/dev/null  # in the page cache for every contender, as in the shared README

# run NAME COMMAND...: wall seconds and peak RSS (KiB) from GNU time, output kept in $work/NAME.out
run() {
  local name=$1; shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  # GNU time puts "Command exited with non-zero status N" first when the command fails (check exits 1
  # on a corpus with defects): the numbers are on the last line.
  read -r wall rss < <(tail -n 1 "$work/$name.time")
  awk -v n="$name" -v b="$bytes" -v w="$wall" -v r="$rss" -v l="$load" \
    'BEGIN { printf "%-18s %8.2f s %9.2f MB/s %8.1f MiB peak RSS   (load before: %s)\n", n, w, b / 1e6 / w, r / 1024, l }'
  echo "$wall" >"$work/$name.wall"
  echo "$rss" >"$work/$name.rss"
}

echo "== $bytes bytes, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
run peer-validate node "$peers/peer-validate.mjs" --encoding o200k_base "$corpus"
run ajuste-1-thread "$ajuste" check "$corpus" --model "$model" --format json --threads 1
run ajuste-2-threads "$ajuste" check "$corpus" --model "$model" --format json --threads 2
peer=$(cat "$work/peer-validate.wall")
for name in ajuste-1-thread ajuste-2-threads; do
  awk -v n="$name" -v p="$peer" -v o="$(cat "$work/$name.wall")" 'BEGIN { printf "%-18s %.1fx the peer\n", n, p / o }'
done
awk -v p="$peer" -v o="$(cat "$work/ajuste-2-threads.wall")" -v r="$(cat "$work/ajuste-2-threads.rss")" 'BEGIN {
  ok = p / o >= 10 && r / 1024 <= 256
  printf "goal (2 threads >= 10x the peer, peak RSS <= 256 MiB): %s (%.1fx, %.1f MiB)\n", ok ? "met" : "NOT met", p / o, r / 1024 }'
python3 - "$work/peer-validate.out" "$work/ajuste-2-threads.out" <<'PY'
import json, sys
peer = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
by_kind = {}
for stage in ours["stages"]:
    for kind, n in ours["rejects"]["by_stage"].get(stage["id"], {}).items():
        by_kind[kind] = by_kind.get(kind, 0) + n
print("peer:   records", peer["records"], "invalid", peer["invalid"], peer["invalid_by_reason"])
print("ajuste: records", ours["records"]["read"], "rejected", ours["records"]["rejected"], dict(sorted(by_kind.items())))
PY
