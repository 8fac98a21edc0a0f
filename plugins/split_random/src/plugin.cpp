// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "random_split.hpp"

namespace ajuste::split_random {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-split-random", .version = "0.1.0", .stages = {RandomSplit::info()}};
  return kDescriptor;
}

}  // namespace ajuste::split_random

AJUSTE_EXPORT_PLUGIN(ajuste::split_random::describe)
