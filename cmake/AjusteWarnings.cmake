# Project-wide compiler flags. Applied to every target defined after this file is included,
# including the plugins, so a third-party-style plugin gets the same scrutiny as the runner.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
                    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
                    -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O3 reports -Wrestrict inside libstdc++ for `"text" + std::string(...)`
  # (GCC bug 105651, fixed in 13): a false positive in the standard library's own code.
  add_compile_options(-Wno-restrict)
endif()
if(AJUSTE_WERROR)
  add_compile_options(-Werror)
endif()
if(AJUSTE_SANITIZE)
  # Sanitizers apply to the runner and to every plugin it loads: ASan must be in the
  # executable for the plugins' instrumentation to resolve.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # GCC 12's -Wmaybe-uninitialized misfires on instrumented code (std::function inside
  # std::regex, GCC bug 105562 and kin); the non-sanitized build keeps the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=address,undefined)
endif()
