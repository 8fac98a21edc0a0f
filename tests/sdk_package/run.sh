#!/usr/bin/env bash
# Proves the SDK works for a third party: install it into a temporary prefix, build the
# template plugin out of tree against that install, run the template's own tests, then run
# the template's pipeline with the built ajuste, loading the new plugin from its build folder.
#
# usage: run.sh BUILD_DIR AJUSTE_BIN WORK_DIR "EXTRA_CXX_FLAGS"
set -euo pipefail
build_dir=$1 ajuste=$2 work=$3 extra_flags=${4:-}

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build_dir" --prefix "$work/prefix" --component sdk >/dev/null
cp -r "$work/prefix/share/ajuste/sdk-template" "$work/template"

cmake -S "$work/template" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_CXX_FLAGS="$extra_flags" -DCMAKE_SHARED_LINKER_FLAGS="$extra_flags" -DCMAKE_MODULE_LINKER_FLAGS="$extra_flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$extra_flags" >/dev/null
cmake --build "$work/build" >/dev/null
ctest --test-dir "$work/build" --output-on-failure

# The module exports exactly the two ajuste symbols.
exported=$(nm -D --defined-only "$work/build/example_min_length.so" | awk '$2 ~ /^[BDTVW]$/ {print $3}' | grep -v '^_' | sort | tr '\n' ' ')
if [ "$exported" != "ajuste_abi_v1 ajuste_plugin_v1 " ]; then
  echo "FAIL: the plugin exports more than the ajuste symbols: $exported" >&2
  exit 1
fi

cd "$work/template"
"$ajuste" plugins describe example/min_length --plugin-path "$work/build" | grep -q "| min_chars | integer | yes |"
"$ajuste" run pipeline.yaml --plugin-path "$work/build" --run-dir "$work/run" --progress off
python3 - "$work/run/summary.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
assert summary["status"] == "succeeded", summary["status"]
stage = next(s for s in summary["stages"] if s["uses"] == "example/min_length")
assert stage["rejected"] == 2, stage          # "hi" and "sim" are shorter than 4 characters
assert summary["records"]["written"] == 4, summary["records"]
print("sdk package: template built out of tree, tested, and run in a pipeline")
PY
