# ajuste_add_fuzz_target(<name> SOURCE <file> CORPUS <dir> DICT <file> LINK <libraries...>)
#
# A fuzz target is a file defining LLVMFuzzerTestOneInput. It is built two ways:
# - AJUSTE_FUZZ=ON (clang only): with libFuzzer (-fsanitize=fuzzer), for real fuzzing sessions:
#     build/bin/<name> -dict=<dict> <scratch folder> <corpus>
# - otherwise: with fuzz/standalone_driver.cpp, which runs the corpus and then a fixed number of
#   seeded random mutations of it (no coverage feedback), so g++ builds and CI run it too.
# Either way a short run is registered with CTest as `<name>_short` (label `fuzz`, a few seconds);
# `ctest -L fuzz` runs only those, `ctest -LE fuzz` everything else.
option(AJUSTE_FUZZ "Build the fuzz targets with libFuzzer (needs clang)" OFF)
if(AJUSTE_FUZZ AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "AJUSTE_FUZZ=ON needs clang (libFuzzer); configure with -DCMAKE_CXX_COMPILER=clang++, "
                      "or leave it OFF to build the fuzz targets with the standalone driver")
endif()

function(ajuste_add_fuzz_target name)
  cmake_parse_arguments(ARG "" "SOURCE;CORPUS;DICT" "LINK" ${ARGN})
  if(NOT AJUSTE_BUILD_TESTS AND NOT AJUSTE_FUZZ)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCE})
  target_link_libraries(${name} PRIVATE ${ARG_LINK})
  if(AJUSTE_FUZZ)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    # libFuzzer writes what it finds into its first folder: a scratch one, not the checked-in corpus.
    set(scratch ${CMAKE_CURRENT_BINARY_DIR}/${name}_found)
    file(MAKE_DIRECTORY ${scratch})
    set(short_run -max_total_time=4 -seed=1 -dict=${ARG_DICT} ${scratch} ${ARG_CORPUS})
  else()
    # CMAKE_CURRENT_FUNCTION_LIST_DIR: this file's folder, wherever the function is called from.
    target_sources(${name} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../fuzz/standalone_driver.cpp)
    set(short_run --runs=10000 --seed=1 --dict=${ARG_DICT} ${ARG_CORPUS})
  endif()
  if(AJUSTE_BUILD_TESTS)
    add_test(NAME ${name}_short COMMAND ${name} ${short_run})
    set_tests_properties(${name}_short PROPERTIES LABELS fuzz TIMEOUT 120)
  endif()
endfunction()
