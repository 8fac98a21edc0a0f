#!/usr/bin/env bash
# Proves the SDK works for a third party: install it into a temporary prefix, build the
# template plugin out of tree against that install, run the template's own tests, then run
# the template's pipeline with the built ajuste, loading the new plugin from its build folder.
#
# usage: run.sh BUILD_DIR AJUSTE_BIN WORK_DIR "EXTRA_CXX_FLAGS"
set -euo pipefail
build_dir=$1 ajuste=$2 work=$3 extra_flags=${4:-}

. "$(dirname "$0")/lib.sh"

rm -rf "$work"
mkdir -p "$work"
install_sdk "$build_dir" "$work/prefix"
cp -r "$work/prefix/share/ajuste/sdk-template" "$work/template"
build_out_of_tree "$work/template" "$work/build" "$work/prefix" "$extra_flags"
check_exports "$work/build/example_min_length.so"

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
