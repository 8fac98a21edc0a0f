#!/usr/bin/env bash
# ThreadSanitizer over the record chain: builds ajuste with -fsanitize=thread (without jemalloc,
# which TSan cannot see into) and runs two chains with every parallel step on at --threads 2
# and small batches, on a generated corpus. Fails on any race report. It is not in the test
# run: the build takes minutes, and races show only under load. It found none on 2026-12-04
# after the MinHasher fix; with the hasher's scratch shared again it reports 13.
#
#   bench/races/run.sh [MB=5]
#
# Chains: ingest → clean/normalize → clean/dedupe (exact + near) → split/random (near leakage
# check), the prepare steps of the benchmark; and ingest → clean/normalize → clean/pii →
# clean/filter → validate/openai → write/jsonl.
# Env: WORK_DIR (default /tmp/ajuste-race-check), AJUSTE_SHARED_DIR (holds bench/, default ../shared).
set -euo pipefail
mb=${1:-5}
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${AJUSTE_SHARED_DIR:-$repo/../shared}
work=${WORK_DIR:-/tmp/ajuste-race-check}
build=$work/build
mkdir -p "$work"

echo "== building ajuste with ThreadSanitizer in $build"
tsan=-fsanitize=thread
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAJUSTE_BUILD_TESTS=OFF -DAJUSTE_JEMALLOC=OFF \
  -DCMAKE_CXX_FLAGS="$tsan -O1" -DCMAKE_EXE_LINKER_FLAGS=$tsan -DCMAKE_SHARED_LINKER_FLAGS=$tsan \
  -DCMAKE_MODULE_LINKER_FLAGS=$tsan >/dev/null
cmake --build "$build" -j"$(nproc)" --target ajuste ajuste_ingest_jsonl ajuste_clean_text ajuste_clean_dedupe \
  ajuste_split_random ajuste_validate_openai ajuste_write_jsonl >/dev/null

corpus=$work/chat${mb}.jsonl
if [ ! -f "$corpus" ]; then
  echo "== generating $corpus (${mb} MiB, chat, 2% defects)"
  node "$shared/bench/gen-corpus.mjs" --mb "$mb" --seed 5 --bad-rate 0.02 --out "$corpus" >/dev/null
fi

# chain NAME: a pipeline reading the corpus in small batches, its later stages on stdin.
chain() {
  { printf 'name: race-check-%s\nrun: {max_reject_ratio: 1, batch_size: 64}\nstages:\n' "$1"
    printf '  - uses: ingest/jsonl\n    with: {path: "%s"}\n  - uses: clean/normalize\n' "$corpus"
    cat; } >"$work/$1.yaml"
}
chain prepare <<YAML
  - uses: clean/dedupe
    with: {memory_mb: 128, near: {threshold: 0.8}}
  - uses: split/random
    with: {valid_ratio: 0.1, seed: 42, leakage: {near: {threshold: 0.8}}}
YAML
chain clean <<YAML
  - uses: clean/pii
    with: {email: redact, phone: redact, card: reject, secret: reject}
  - uses: clean/filter
    with: {encoding: o200k_base, length: [{scope: example, max_tokens: 4096}]}
  - uses: validate/openai
    with: {model: gpt-4o-mini-2024-07-18}
  - uses: write/jsonl
    with: {path: "$work/clean-out/out.jsonl"}
YAML

races=0
for chain in prepare clean; do
  rm -rf "$work/run-$chain" "$work/clean-out" "$work/$chain.tsan".*
  status=0
  TSAN_OPTIONS="halt_on_error=0 log_path=$work/$chain.tsan" \
    "$build/bin/ajuste" run "$work/$chain.yaml" --run-dir "$work/run-$chain" --threads 2 --progress off \
    >"$work/$chain.out" 2>&1 || status=$?
  found=$(cat "$work/$chain.tsan".* 2>/dev/null | grep -c "WARNING: ThreadSanitizer" || true)
  echo "$chain: exit $status, $found race report(s)$([ "$found" -gt 0 ] && echo " in $work/$chain.tsan.*")"
  races=$((races + found))
  if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then tail -n 3 "$work/$chain.out"; races=$((races + 1)); fi
done
[ "$races" -eq 0 ] && echo "no races" || { echo "RACES FOUND"; exit 1; }
