#!/usr/bin/env bash
# ingest → clean (NFC + whitespace, exact dedupe) → split, ajuste vs the Node peer doing the same
# job (peer-prepare.mjs: stream, parse, NFC + tidy, SHA-1 exact dedupe, seeded split), same
# corpus, same run. Reports MB/s (input bytes / 10^6 / wall seconds), peak RSS, the ratio to the
# peer, whether issue 6's goal holds (2 threads >= 10x the peer, peak RSS <= 256 MiB), the record
# counts of both, whether ajuste's outputs are byte-identical at 1 and 2 threads, and both
# contenders' rejects reconciled line by line with the corpus's ground truth (reconcile.py).
#
#   bench/prepare/run.sh [MB=1024]
#
# Env: WORK_DIR (default /tmp/ajuste-prepare-bench), AJUSTE_SHARED_DIR (holds bench/, default
# ../shared), ROUNDS (default 2: every contender runs this many times, order alternating).
set -euo pipefail
mb=${1:-1024}
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${AJUSTE_SHARED_DIR:-$repo/../shared}
work=${WORK_DIR:-/tmp/ajuste-prepare-bench}
mkdir -p "$work"
. "$repo/bench/lib.sh"
benchBuild
benchPeers

corpus=$work/chat${mb}.jsonl
if [ ! -f "$corpus" ]; then
  echo "== generating $corpus (${mb} MiB, chat, 1% defects)"
  node "$peers/gen-corpus.mjs" --mb "$mb" --seed 3 --bad-rate 0.01 --out "$corpus" >/dev/null
fi
bytes=$(wc -c <"$corpus")

# The same work as the peer: every message's content NFC-normalized and its whitespace tidied,
# exact duplicates of the normalized messages dropped, 10% to validation with seed 42.
pipeline=$work/prepare.yaml
cat >"$pipeline" <<YAML
name: prepare-bench
run:
  max_reject_ratio: 1
stages:
  - uses: ingest/jsonl
    with: {path: $corpus}
  - uses: clean/normalize
  - uses: clean/dedupe
    with: {memory_mb: 128}
  - uses: split/random
    with: {valid_ratio: 0.1, seed: 42}
YAML

cat "$corpus" >/dev/null  # in the page cache for every contender

echo "== $bytes bytes, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Every contender writes into an empty folder: replacing the previous run's gigabyte of outputs
# (the kernel dropping their pages and blocks) would be timed too, differently for each.
# ROUNDS rounds (default 2), the order reversed every other round so that no contender always
# meets the memory the one before it left (see docs/engine.md, "The machine"); each counts
# with its fastest run.
rounds=${ROUNDS:-2}
runPeer() {
  rm -rf "$work/peer-out"
  benchRun peer-prepare node "$peers/peer-prepare.mjs" "$corpus" "$work/peer-out" --valid 0.1 --seed 42
}
runAjuste() {
  rm -rf "$work/run-1" "$work/run-2"
  benchRun ajuste-1-thread "$ajuste" run "$pipeline" --run-dir "$work/run-1" --threads 1 --progress off --json
  benchRun ajuste-2-threads "$ajuste" run "$pipeline" --run-dir "$work/run-2" --threads 2 --progress off --json
}
for ((round = 1; round <= rounds; round++)); do
  echo "-- round $round of $rounds"
  if ((round % 2 == 1)); then runPeer; runAjuste; else runAjuste; runPeer; fi
done
echo "-- each contender's fastest run (peak RSS: the largest of its runs)"
benchVerdict peer-prepare
for f in train.jsonl valid.jsonl; do
  if cmp -s "$work/run-1/$f" "$work/run-2/$f"; then echo "deterministic: $f identical at 1 and 2 threads ($(sha256sum <"$work/run-2/$f" | cut -c1-16)…)"
  else echo "NOT deterministic: $f differs between 1 and 2 threads"; fi
done
python3 - "$work/peer-prepare.out" "$work/run-2/summary.json" <<'PY'
import json, sys
peer = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
ours = json.load(open(sys.argv[2]))
by_kind = {}
for stage_kinds in ours["rejects"]["by_stage"].values():
    for kind, n in stage_kinds.items():
        by_kind[kind] = by_kind.get(kind, 0) + n
print("peer:   read", peer["read"], "train", peer["train"], "valid", peer["valid"], "rejected", peer["rejected"], "duplicates", peer["duplicates"])
print("ajuste: read", ours["records"]["read"], "written", ours["records"]["written"], "rejected", ours["records"]["rejected"], dict(sorted(by_kind.items())))
PY
echo "== rejects against the ground truth ($corpus.truth.jsonl)"
python3 "$repo/bench/prepare/reconcile.py" "$corpus" "$work/run-2/rejects.jsonl" "$work/peer-out/rejects.jsonl"
