// Calls a function that no library provides: loading with RTLD_NOW must fail and say so.
#include "ajuste/export.hpp"

extern "C" int ajuste_test_symbol_that_does_not_exist();

namespace missing_symbol {
const ajuste::PluginDescriptor& describe() {
  static const ajuste::PluginDescriptor descriptor{
      .name = "missing-symbol", .version = std::to_string(ajuste_test_symbol_that_does_not_exist()), .stages = {}};
  return descriptor;
}
}  // namespace missing_symbol

AJUSTE_EXPORT_PLUGIN(missing_symbol::describe)
