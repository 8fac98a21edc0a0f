// The only file that knows about exporting: the descriptor and the export macro.
#include <ajuste/export.hpp>

#include "keyword_score_stage.hpp"

namespace example {

const ajuste::PluginDescriptor& describe() {
  static const ajuste::PluginDescriptor descriptor{
      .name = "example-keyword-score", .version = "1.0.0", .stages = {KeywordScoreStage::info()}};
  return descriptor;
}

}  // namespace example

AJUSTE_EXPORT_PLUGIN(example::describe)
