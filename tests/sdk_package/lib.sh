# Shared steps of the SDK package tests: what a third party does with an installed SDK.
# Source it; every function stops the test (set -e) when its step fails.

# install_sdk BUILD_DIR PREFIX: the `sdk` install component alone, as a plugin author gets it.
install_sdk() {
  cmake --install "$1" --prefix "$2" --component sdk >/dev/null
}

# build_out_of_tree SOURCE BUILD PREFIX "EXTRA_FLAGS": configure against the installed SDK only,
# build, and run the project's own tests.
build_out_of_tree() {
  local source=$1 build=$2 prefix=$3 flags=$4
  cmake -S "$source" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" -DCMAKE_MODULE_LINKER_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
  cmake --build "$build" >/dev/null
  ctest --test-dir "$build" --output-on-failure
}

# check_exports MODULE: the module exports exactly the two ajuste symbols.
check_exports() {
  local exported
  exported=$(nm -D --defined-only "$1" | awk '$2 ~ /^[BDTVW]$/ {print $3}' | grep -v '^_' | sort | tr '\n' ' ')
  if [ "$exported" != "ajuste_abi_v1 ajuste_plugin_v1 " ]; then
    echo "FAIL: $1 exports more than the ajuste symbols: $exported" >&2
    return 1
  fi
}
