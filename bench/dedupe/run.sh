#!/usr/bin/env bash
# clean/dedupe on a generated chat corpus: throughput, peak RSS, and whether it finds the
# duplicates gen-corpus.mjs injected (its <corpus>.truth.jsonl lists each as
# {"line": n, "defect": "duplicate", "of": m}). Runs exact mode, then exact + near.
#
#   bench/dedupe/run.sh [MB=50]
#
# Env: WORK_DIR (default /tmp/ajuste-dedupe-bench), AJUSTE_SHARED_DIR (holds bench/, default
# ../shared), BUILD_DIR (a Release build; default $WORK_DIR/build, built here with JOBS=2).
# The sink is write/jsonl without a path (counts only), so the time is ingest + dedupe; the
# dedupe stage's own time comes from summary.json.
set -euo pipefail
mb=${1:-50}
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${AJUSTE_SHARED_DIR:-$repo/../shared}
work=${WORK_DIR:-/tmp/ajuste-dedupe-bench}
build=${BUILD_DIR:-$work/build}
mkdir -p "$work"

if [ ! -x "$build/bin/ajuste" ] || [ ! -f "$build/plugins/ajuste_clean_dedupe.so" ]; then
  echo "== building ajuste (Release) in $build"
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJUSTE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"${JOBS:-2}" --target ajuste ajuste_ingest_jsonl ajuste_clean_dedupe ajuste_write_jsonl >/dev/null
fi
ajuste=$build/bin/ajuste

corpus=$work/chat${mb}.jsonl
if [ ! -f "$corpus" ]; then
  echo "== generating $corpus (${mb} MiB, chat, 2% defects of which ~1/8.15 duplicates)"
  node "$shared/bench/gen-corpus.mjs" --mb "$mb" --seed 3 --bad-rate 0.02 --out "$corpus" >/dev/null
fi
bytes=$(wc -c <"$corpus")
records=$(wc -l <"$corpus")
cat "$corpus" >/dev/null  # page cache, so every mode reads it the same way

# bench NAME DEDUPE_WITH_YAML
bench() {
  local name=$1 with=$2 dir=$work/run-$1
  rm -rf "$dir" && mkdir -p "$dir"
  cat >"$work/$name.yaml" <<YAML
name: dedupe-bench-$name
run:
  max_reject_ratio: 1
stages:
  - uses: ingest/jsonl
    with: {path: "$corpus"}
  - uses: clean/dedupe
    with: $with
  - uses: write/jsonl
YAML
  local load status=0
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %M' -o "$work/$name.time" "$ajuste" run "$work/$name.yaml" --run-dir "$dir" \
    >"$work/$name.out" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    # A failed run's numbers mean nothing: say so, with what ajuste said, and fail the bench.
    echo "$name     RUN FAILED (exit $status):" && tail -n 3 "$work/$name.out" | sed 's/^/       /'
    failed=1
    return
  fi
  read -r wall rss < <(tail -n 1 "$work/$name.time")
  python3 "$(dirname "$0")/compare.py" "$name" "$corpus" "$dir" "$bytes" "$records" "$wall" "$rss" "$load"
}

echo "== $bytes bytes, $records lines, $(nproc) cores"
failed=0
bench exact '{memory_mb: 256}'
bench near '{memory_mb: 1024, near: {threshold: 0.8}}'
exit "$failed"
