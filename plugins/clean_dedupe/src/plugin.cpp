// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "dedupe_stage.hpp"

namespace ajuste::clean_dedupe {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-clean-dedupe", .version = "0.1.0", .stages = {DedupeStage::info()}};
  return kDescriptor;
}

}  // namespace ajuste::clean_dedupe

AJUSTE_EXPORT_PLUGIN(ajuste::clean_dedupe::describe)
