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
mkdir -p "$work"
. "$repo/bench/lib.sh"
benchBuild
benchPeers tiktoken

corpus=$work/chat${mb}.jsonl
if [ ! -f "$corpus" ]; then
  echo "== generating $corpus (${mb} MiB, chat, 1% defects)"
  node "$peers/gen-corpus.mjs" --mb "$mb" --seed 2 --bad-rate 0.01 --out "$corpus" >/dev/null
fi
bytes=$(wc -c <"$corpus")
cat "$corpus" >/dev/null  # in the page cache for every contender, as in the shared README

echo "== $bytes bytes, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
benchRun peer-validate node "$peers/peer-validate.mjs" --encoding o200k_base "$corpus"
benchRun ajuste-1-thread "$ajuste" check "$corpus" --model "$model" --format json --threads 1
benchRun ajuste-2-threads "$ajuste" check "$corpus" --model "$model" --format json --threads 2
benchVerdict peer-validate
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
