# ajuste_add_plugin(<target>
#     STAGE_SOURCES <files...>     # the stages: compiled once, linked by the plugin and its tests
#     PLUGIN_SOURCE <file>         # the descriptor + AJUSTE_EXPORT_PLUGIN, the only exporting file
#     [LINK <libraries...>])       # the stages' own third-party libraries
#
# Makes `<target>_core` (an OBJECT library, for tests) and `<target>` (the loadable module).
# The module is built with hidden visibility, so it exports exactly `ajuste_abi_v1` and
# `ajuste_plugin_v1`: nothing else of the plugin can clash with the runner or another plugin.
function(ajuste_add_plugin target)
  cmake_parse_arguments(ARG "" "PLUGIN_SOURCE" "STAGE_SOURCES;LINK" ${ARGN})
  if(NOT ARG_PLUGIN_SOURCE OR NOT ARG_STAGE_SOURCES)
    message(FATAL_ERROR "ajuste_add_plugin(${target}): STAGE_SOURCES and PLUGIN_SOURCE are required")
  endif()
  add_library(${target}_core OBJECT ${ARG_STAGE_SOURCES})
  set_target_properties(${target}_core PROPERTIES POSITION_INDEPENDENT_CODE ON
                        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target}_core PUBLIC ajuste::sdk ${ARG_LINK})
  add_library(${target} MODULE ${ARG_PLUGIN_SOURCE})
  set_target_properties(${target} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE ${target}_core)
  # Refuse undefined symbols at link time rather than at load time, and export only the two
  # ajuste symbols (hidden visibility alone leaves some libstdc++ template symbols exported).
  target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--exclude-libs,ALL
                      -Wl,--version-script=${CMAKE_CURRENT_FUNCTION_LIST_DIR}/ajuste_plugin.map)
endfunction()
