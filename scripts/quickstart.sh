#!/usr/bin/env bash
# One command from a fresh clone to a finished quickstart run: installs what is missing,
# builds (release), starts the bundled ajuste-emulator (a simulated Azure OpenAI / OpenAI API,
# so no account or network is needed), runs pipelines/quickstart.yaml end to end — ingest,
# validate, split, upload, fine-tune, monitor, evaluate against a prompted base model, score and
# price both — stops the emulator and says where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/emulator.sh

scripts/install-deps.sh
mkdir -p build
echo "ajuste: building (log: build/build.log)…" >&2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJUSTE_BUILD_TESTS=OFF >/dev/null
if ! cmake --build build -j"$(nproc)" >build/build.log 2>&1; then
  tail -n 40 build/build.log >&2
  echo "ajuste: the build failed; the whole log is in build/build.log" >&2
  exit 1
fi

emulator_out=$(mktemp)
trap 'stop_emulator; rm -f "$emulator_out"' EXIT
if ! start_emulator build/bin/ajuste-emulator "$emulator_out" build/emulator.log 100; then
  echo "ajuste: the emulator did not start; see build/emulator.log" >&2
  exit 1
fi
url=$emulator_url
echo "ajuste: simulated Azure OpenAI (ajuste-emulator) at $url" >&2

set +e
AZURE_OPENAI_ENDPOINT="$url" AZURE_OPENAI_API_KEY="simulated-key" \
  build/bin/ajuste run pipelines/quickstart.yaml --run-dir runs/quickstart "$@"
status=$?
set -e
echo
echo "Report:    runs/quickstart/report.html (open it in a browser; every provider result is SIMULATED)"
echo "Outputs:   runs/quickstart/train.jsonl, runs/quickstart/valid.jsonl, runs/quickstart/metrics.csv (the job's loss per step)"
echo "Rejects:   runs/quickstart/rejects.jsonl (what was wrong with each dropped example, and where)"
echo "Evaluate:  runs/quickstart/evaluate.predictions.jsonl (both models' answers); the verdict is in the report and in summary.json (evaluation)"
echo "Summary:   runs/quickstart/summary.json"
echo "Next:      build/bin/ajuste plugins list    # the stages you can use"
echo "           pipelines/azure.yaml, pipelines/openai.yaml: the same chain against a real provider"
exit $status
