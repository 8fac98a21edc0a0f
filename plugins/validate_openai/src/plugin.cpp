// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "stats_stage.hpp"
#include "validate_stage.hpp"

namespace ajuste::validate_openai {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{.name = "builtin-validate-openai",
                                            .version = "0.1.0",
                                            .stages = {OpenAIValidator::info(), OpenAIStats::info()}};
  return kDescriptor;
}

}  // namespace ajuste::validate_openai

AJUSTE_EXPORT_PLUGIN(ajuste::validate_openai::describe)
