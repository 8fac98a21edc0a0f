#!/usr/bin/env bash
# One command from a fresh clone to a finished quickstart run: installs what is missing,
# builds (release), runs pipelines/quickstart.yaml and says where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
echo "ajuste: building (log: build/build.log)…" >&2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJUSTE_BUILD_TESTS=OFF >/dev/null
if ! cmake --build build -j"$(nproc)" >build/build.log 2>&1; then
  tail -n 40 build/build.log >&2
  echo "ajuste: the build failed; the whole log is in build/build.log" >&2
  exit 1
fi

set +e
build/bin/ajuste run pipelines/quickstart.yaml --run-dir runs/quickstart "$@"
status=$?
set -e
echo
echo "Outputs:   runs/quickstart/train.jsonl, runs/quickstart/valid.jsonl"
echo "Rejects:   runs/quickstart/rejects.jsonl (what was wrong with each dropped example, and where)"
echo "Summary:   runs/quickstart/summary.json"
echo "Next:      build/bin/ajuste plugins list    # the stages you can use"
exit $status
