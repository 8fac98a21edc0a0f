#!/usr/bin/env bash
# Proves a third party can replace evaluate/score: install the SDK into a temporary prefix,
# build the scorer example (sdk/examples/scorer) out of tree against it, run its own tests,
# then run its pipeline — evaluate/chat against ajuste-emulator, scored by the example loaded
# through --plugin-path — and check that summary.json and report.html show the example's
# numbers, recomputed here from the predictions file. Finally the checker must refuse a summary
# whose accuracy is one answer off, and a report without the numbers.
#
# usage: scorer.sh BUILD_DIR AJUSTE_BIN EMULATOR_BIN WORK_DIR "EXTRA_CXX_FLAGS"
set -euo pipefail
build_dir=$1 ajuste=$2 emulator=$3 work=$4 extra_flags=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../../scripts/lib/emulator.sh"

rm -rf "$work"
mkdir -p "$work"
install_sdk "$build_dir" "$work/prefix"
cp -r "$work/prefix/share/ajuste/sdk-examples/scorer" "$work/scorer"
build_out_of_tree "$work/scorer" "$work/build" "$work/prefix" "$extra_flags"
check_exports "$work/build/example_keyword_score.so"
"$ajuste" plugins describe example/keyword_score --plugin-path "$work/build" | grep -qF '| match | "contains" \| "equals" | no |'

trap stop_emulator EXIT
if ! start_emulator "$emulator" "$work/emulator.out" "$work/emulator.log" 200; then
  echo "FAIL: ajuste-emulator did not start:" >&2
  cat "$work/emulator.log" >&2
  exit 1
fi
url=$emulator_url

cd "$work/scorer"
OPENAI_BASE_URL="$url/v1" OPENAI_API_KEY="sdk-package-scorer-key" \
  "$ajuste" run pipeline.yaml --plugin-path "$work/build" --run-dir "$work/run" --progress off

check="python3 $here/check_scorer_run.py"
$check "$work/run/summary.json" "$work/run/report.html" "$work/scorer/pipeline.yaml"

# The checker can fail: one more right answer than the predictions hold, or a report that
# does not show the numbers, must each be refused.
python3 - "$work/run/summary.json" "$work/off_by_one.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
stage = next(s for s in summary["stages"] if s["uses"] == "example/keyword_score")
tuned = stage["report"]["evaluation"]["approaches"]["fine_tuned"]
tuned["correct"] += 1 if tuned["correct"] < tuned["n"] else -1
tuned["accuracy"] = tuned["correct"] / tuned["n"]
json.dump(summary, open(sys.argv[2], "w"))
PY
if $check "$work/off_by_one.json" "$work/run/report.html" "$work/scorer/pipeline.yaml" 2>"$work/off_by_one.err"; then
  echo "FAIL: the checker accepted a summary whose fine-tuned accuracy is one answer off" >&2
  exit 1
fi
grep -q "correct" "$work/off_by_one.err"
sed 's/id="evaluation"/id="other"/' "$work/run/report.html" >"$work/no_section.html"
if $check "$work/run/summary.json" "$work/no_section.html" "$work/scorer/pipeline.yaml" 2>/dev/null; then
  echo "FAIL: the checker accepted a report without the Evaluation section" >&2
  exit 1
fi
echo "sdk package: scorer example built out of tree, tested, and scored a pipeline in place of evaluate/score"
