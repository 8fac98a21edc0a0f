// The only file of this plugin that knows about exporting.
#include "ajuste/plugin.hpp"

#include "ajuste/export.hpp"
#include "openai_stages.hpp"

namespace ajuste::provider::openai {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-provider-openai", .version = "0.1.0", .stages = {uploadInfo(), finetuneInfo(), monitorInfo()}};
  return kDescriptor;
}

}  // namespace ajuste::provider::openai

AJUSTE_EXPORT_PLUGIN(ajuste::provider::openai::describe)
