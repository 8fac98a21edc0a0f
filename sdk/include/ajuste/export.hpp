#pragma once

#include <cstdint>

#include "ajuste/plugin.hpp"

// Exports a plugin: `describe_fn` is `const ajuste::PluginDescriptor& ()`.
//
// It emits two symbols with exactly the layout of Boost.DLL's BOOST_DLL_ALIAS (a
// `const void*` in section "boostdll" pointing at the function), so the runner reads them
// with `shared_library::get_alias` while plugin authors need no Boost headers:
//   ajuste_abi_v1     -> AbiStamp()                       read first, plain data
//   ajuste_plugin_v1  -> const PluginDescriptor&()        read only if the stamp matches
// Use it once per plugin library, at namespace scope, in the one file that knows about
// exporting. Build the library with hidden visibility: these are then its only exports.
#define AJUSTE_EXPORT_PLUGIN(describe_fn)                                                    \
  namespace ajuste_export {                                                                  \
  inline ::ajuste::AbiStamp abiStamp() { return ::ajuste::kAbiStamp; }                       \
  inline const ::ajuste::PluginDescriptor& describePlugin() { return describe_fn(); }        \
  extern "C" __attribute__((visibility("default"))) const void* ajuste_abi_v1;               \
  extern "C" __attribute__((visibility("default"))) const void* ajuste_plugin_v1;            \
  __attribute__((section("boostdll"))) __attribute__((weak)) const void* ajuste_abi_v1 =     \
      reinterpret_cast<const void*>(reinterpret_cast<std::intptr_t>(&abiStamp));             \
  __attribute__((section("boostdll"))) __attribute__((weak)) const void* ajuste_plugin_v1 =  \
      reinterpret_cast<const void*>(reinterpret_cast<std::intptr_t>(&describePlugin));       \
  }
