#!/usr/bin/env bash
# Tokenizer throughput: ajuste vs tiktoken (npm, the shared bench's pinned peer), same corpus, same
# run, one thread each, one after the other. Usage:
#   bench/tokenizer/run.sh [MB=100] [ENCODING=o200k_base]
# Env: BUILD_DIR (default /tmp/ajuste-tokenizer-bench/build), WORK_DIR (default
# /tmp/ajuste-tokenizer-bench), AJUSTE_SHARED_DIR (folder holding bench/, default ../shared).
set -euo pipefail
mb=${1:-100}
encoding=${2:-o200k_base}
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${AJUSTE_SHARED_DIR:-$repo/../shared}
work=${WORK_DIR:-/tmp/ajuste-tokenizer-bench}
build=${BUILD_DIR:-$work/build}
mkdir -p "$work"

echo "== building tokenizer_bench (Release) in $build"
cmake -S "$repo/tokenizer" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAJUSTE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target tokenizer_bench -j2 >/dev/null
tool=$(find "$build" -name tokenizer_bench -type f -perm -u+x | head -n 1)

bench="$work/peers"
if [ ! -d "$bench/node_modules/tiktoken" ]; then
  echo "== npm ci of the shared bench into $bench"
  rm -rf "$bench" && mkdir -p "$bench"
  cp -r "$shared/bench/." "$bench/" && chmod -R u+w "$bench"
  (cd "$bench" && npm ci --no-audit --no-fund >/dev/null)
fi

corpus="$work/c${mb}.jsonl"
if [ ! -f "$corpus" ]; then
  echo "== generating $corpus"
  node "$bench/gen-corpus.mjs" --mb "$mb" --seed 1 --bad-rate 0.01 --format mixed --out "$corpus" >/dev/null
fi
cat "$corpus" >/dev/null  # page cache, as in the shared README's timings

field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"; }
compare() {
  local mode=$1 peer_args=() ours peer
  [ "$mode" = text ] && peer_args=(--text)
  peer=$(node "$bench/count-tokens.mjs" --encoding "$encoding" --peer tiktoken --quiet "${peer_args[@]}" "$corpus" 2>&1 >/dev/null | tail -n 1)
  ours=$("$tool" --encoding "$encoding" --mode "$mode" "$corpus")
  local p o pt ot
  p=$(field mb_per_s "$peer"); o=$(field mb_per_s "$ours")
  pt=$(field content_tokens "$peer"); ot=$(field content_tokens "$ours")
  printf '%-6s tiktoken %7.2f MB/s | ajuste %7.2f MB/s | ratio %5.1fx | content tokens %s vs %s %s\n' \
    "$mode" "$p" "$o" "$(awk -v a="$o" -v b="$p" 'BEGIN{print a/b}')" "$pt" "$ot" \
    "$([ "$pt" = "$ot" ] && echo '(identical)' || echo '(DIFFERENT!)')"
  echo "  tiktoken: $peer"
  echo "  ajuste:   $ours"
}

echo "== $encoding on $(wc -c <"$corpus") bytes, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
compare jsonl
compare text
