// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "score_stage.hpp"

namespace ajuste::evaluate_score {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-evaluate-score", .version = "0.1.0", .stages = {ScoreStage::info()}};
  return kDescriptor;
}

}  // namespace ajuste::evaluate_score

AJUSTE_EXPORT_PLUGIN(ajuste::evaluate_score::describe)
