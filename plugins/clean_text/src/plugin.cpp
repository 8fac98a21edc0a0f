// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "filter_stage.hpp"
#include "normalize_stage.hpp"
#include "pii_stage.hpp"

namespace ajuste::clean_text {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-clean-text",
      .version = "0.1.0",
      .stages = {NormalizeStage::info(), PiiStage::info(), FilterStage::info()}};
  return kDescriptor;
}

}  // namespace ajuste::clean_text

AJUSTE_EXPORT_PLUGIN(ajuste::clean_text::describe)
