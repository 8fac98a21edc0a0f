#!/usr/bin/env bash
# The whole test suite as CI runs it: warnings are errors, AddressSanitizer and
# UndefinedBehaviorSanitizer are on, then every test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --with-browser
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAJUSTE_WERROR=ON -DAJUSTE_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(nproc)"
# Plugins are loaded into a sanitized runner: leaks in dlclose'd code are reported without symbols.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir build-test --output-on-failure -j"$(nproc)" "$@"
