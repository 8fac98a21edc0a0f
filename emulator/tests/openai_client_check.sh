#!/usr/bin/env bash
# Drives the built emulator with the official `openai` npm package, to prove a real client
# accepts its responses. Usage: openai_client_check.sh EMULATOR_BIN CACHE_DIR
# Exits 77 (CTest: skipped) when node/npm are missing or the package cannot be installed.
set -euo pipefail
emulator_bin=$1
cache_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib/emulator.sh"

skip() {
  echo "SKIPPED: $*"
  exit 77
}

command -v node >/dev/null || skip "node is not installed"
command -v npm >/dev/null || skip "npm is not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] || skip "node >= 18 is needed (found $(node --version))"

# The package is installed once per build folder and reused.
mkdir -p "$cache_dir"
if [ ! -f "$cache_dir/node_modules/openai/package.json" ]; then
  [ -f "$cache_dir/package.json" ] || echo '{"private": true}' >"$cache_dir/package.json"
  if ! (cd "$cache_dir" && timeout 240 npm install --no-audit --no-fund --loglevel=error openai@6 >"$cache_dir/npm.log" 2>&1); then
    skip "cannot install the openai npm package: $(tail -n 3 "$cache_dir/npm.log" | tr '\n' ' ')"
  fi
fi

work=$(mktemp -d)
cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT
if ! start_emulator "$emulator_bin" "$work/out" "$work/err" 200 --seed 1 --time-scale 3000; then
  echo "the emulator did not print its address:"
  cat "$work/err"
  exit 1
fi
url=$emulator_url

echo "openai $(node -p "require('$cache_dir/node_modules/openai/package.json').version") against $url"
node "$here/openai_client_check.mjs" "$url" "$cache_dir"
