#!/usr/bin/env bash
# tokenizer_differential: compares our token ids with the real tiktoken (npm, pinned by the shared
# bench's package-lock.json) on a generated corpus, handmade adversarial lines and seeded fuzz.
#   run_differential.sh TOOL BENCH_SRC WORK_DIR ADVERSARIAL_FILE
# Exit 0 = identical, 1 = mismatch or error, 77 = skipped (no node/npm, no bench, npm ci failed).
set -u
tool=$1 bench_src=$2 work=$3 adversarial=$4
here=$(cd "$(dirname "$0")" && pwd)

skip() {
  echo "tokenizer_differential: SKIPPED: $*"
  exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed, so tiktoken cannot run"
command -v npm >/dev/null 2>&1 || skip "npm is not installed, so tiktoken cannot be installed"
[ -f "$bench_src/package-lock.json" ] || skip "no shared bench folder at '$bench_src' (set AJUSTE_SHARED_DIR to the folder holding bench/)"

mkdir -p "$work"
bench="$work/bench"
stamp="$bench/.ajuste-installed-lock"
want=$(sha256sum "$bench_src/package-lock.json" | cut -d' ' -f1)
if [ ! -d "$bench/node_modules/tiktoken" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$bench"
  mkdir -p "$bench"
  cp -r "$bench_src/." "$bench/" && chmod -R u+w "$bench"
  echo "tokenizer_differential: npm ci in $bench (cached for later runs)"
  if ! (cd "$bench" && npm ci --no-audit --no-fund) >"$work/npm-ci.log" 2>&1; then
    skip "npm ci failed in $bench: $(tail -n 3 "$work/npm-ci.log" | tr '\n' ' ')"
  fi
  echo "$want" >"$stamp"
else
  cp "$bench_src"/*.mjs "$bench/"  # scripts may have changed; node_modules is what we cache
fi

exec node "$here/differential.mjs" --bench "$bench" --tool "$tool" --work "$work" --adversarial "$adversarial"
